package io.npid.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.embed.EmbedderConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class StreamingTrainerConfigTest {
    private static Map<String, Object> minimal() {
        final Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", "localhost:9092");
        config.put(StreamingTrainerConfig.DATA_DIR_CONFIG, "/tmp/npid-trainer");
        return config;
    }

    @Test
    void shouldApplyDefaultsAroundTheRequiredSettings() {
        final StreamingTrainerConfig config = new StreamingTrainerConfig(minimal());
        assertEquals(Path.of("/tmp/npid-trainer/store"), config.storeDir());
        assertEquals(Path.of("/tmp/npid-trainer/checkpoints"), config.checkpointDir());
        assertEquals(0, config.epochs());
        assertEquals(2, config.checkpointKeep());
        assertEquals("npid.images", config.topics().images().name());
        assertEquals(1, config.learner().channels());
        assertEquals(28, config.learner().imageSize());
        assertEquals(64, config.learner().trainer().batchSize());
    }

    @Test
    void shouldStoreFloat16RowsWhenTheBankIsFloat16UnlessTheStoreSettingSaysOtherwise() {
        assertEquals(false, new StreamingTrainerConfig(minimal()).storeOptions().halfBank());
        final Map<String, Object> half = minimal();
        half.put(io.npid.trainer.train.TrainerConfig.BANK_DTYPE_CONFIG, "float16");
        assertEquals(true, new StreamingTrainerConfig(half).storeOptions().halfBank());
        half.put(io.npid.store.StoreOptions.BANK_DTYPE_CONFIG, "float32");
        assertEquals(false, new StreamingTrainerConfig(half).storeOptions().halfBank());
    }

    @Test
    void shouldFailFastNamingAMissingDataDirectory() {
        final Map<String, Object> config = minimal();
        config.remove(StreamingTrainerConfig.DATA_DIR_CONFIG);
        final ConfigException e = assertThrows(ConfigException.class, () -> new StreamingTrainerConfig(config));
        assertTrue(e.getMessage().contains(StreamingTrainerConfig.DATA_DIR_CONFIG), e.getMessage());
    }

    @Test
    void shouldFailFastNamingAnOutOfRangeValue() {
        final Map<String, Object> config = minimal();
        config.put(StreamingTrainerConfig.CHECKPOINT_KEEP_CONFIG, "0");
        final ConfigException e = assertThrows(ConfigException.class, () -> new StreamingTrainerConfig(config));
        assertEquals(
                "Invalid value 0 for configuration npid.trainer.checkpoint.keep: Value must be at least 1",
                e.getMessage());
    }

    @Test
    void shouldRejectAChannelCountOtherThanGreyOrRgb() {
        final Map<String, Object> config = minimal();
        config.put(StreamingTrainerConfig.IMAGE_CHANNELS_CONFIG, "2");
        final ConfigException e = assertThrows(ConfigException.class, () -> new StreamingTrainerConfig(config));
        assertTrue(
                e.getMessage().contains("npid.image.channels") && e.getMessage().contains("1 (grey) or 3"),
                e.getMessage());
    }

    @Test
    void shouldRejectATypoInItsOwnNamespace() {
        final Map<String, Object> config = minimal();
        config.put("npid.trainer.checkpoint.intervall.ms", "5");
        final ConfigException e = assertThrows(ConfigException.class, () -> new StreamingTrainerConfig(config));
        assertTrue(
                e.getMessage().startsWith("Invalid value 5 for configuration npid.trainer.checkpoint.intervall.ms"),
                e.getMessage());
    }

    @Test
    void shouldPassLearnerSettingsToTheCoreConfigAndNameTheBadOne() {
        final Map<String, Object> config = minimal();
        config.put("npid.batch.size", "16");
        assertEquals(16, new StreamingTrainerConfig(config).learner().trainer().batchSize());
        config.put("npid.lr", "-1");
        final ConfigException e = assertThrows(ConfigException.class, () -> new StreamingTrainerConfig(config));
        assertTrue(e.getMessage().contains("npid.lr"), e.getMessage());
    }

    @Test
    void shouldLetTheScheduleLengthFollowTheTrainingEpochs() {
        final Map<String, Object> config = minimal();
        config.put(StreamingTrainerConfig.EPOCHS_CONFIG, "3");
        assertEquals(3, new StreamingTrainerConfig(config).learner().trainer().epochs());
        config.put("npid.epochs", "7");
        assertEquals(7, new StreamingTrainerConfig(config).learner().trainer().epochs());
    }

    @Test
    void shouldPrintTheStreamsOneEpochBoundInItsStartLine() {
        final Map<String, Object> config = minimal();
        config.put(StreamingTrainerConfig.EPOCHS_CONFIG, "3");
        final String line = new StreamingTrainerConfig(config).toString();
        assertTrue(line.contains("npid.trainer.epochs=3"), line);
        assertFalse(line.contains("npid.epochs="), line);

        config.put("npid.lr.schedule", "cosine");
        config.put("npid.epochs", "10");
        final String cosine = new StreamingTrainerConfig(config).toString();
        assertTrue(cosine.contains("npid.trainer.epochs=3"), cosine);
        assertTrue(cosine.contains("npid.lr.schedule=cosine over 10 epochs"), cosine);
        assertFalse(cosine.contains("npid.epochs="), cosine);
        assertEquals(
                "10",
                new StreamingTrainerConfig(config).effectiveSettings().get("npid.epochs"),
                "the provenance keeps every key");
    }

    @Test
    void shouldNotPrintSecretsInItsDescription() {
        final Map<String, Object> config = minimal();
        config.put("sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"s3cret\";");
        assertFalse(new StreamingTrainerConfig(config).toString().contains("s3cret"));
    }

    @Test
    void shouldValidateTheEmbedderConfigTheSameWay() {
        final Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", "localhost:9092"));
        final EmbedderConfig defaults = new EmbedderConfig(config);
        assertEquals(200, defaults.defaultK());
        assertEquals("npid-embedder", defaults.groupId());
        assertEquals(0, defaults.noModelTimeoutMs());
        config.put(EmbedderConfig.DEFAULT_K_CONFIG, "0");
        final ConfigException e = assertThrows(ConfigException.class, () -> new EmbedderConfig(config));
        assertTrue(e.getMessage().contains(EmbedderConfig.DEFAULT_K_CONFIG), e.getMessage());
    }

    @Test
    void shouldReadTheOldNamesOfTheDimensionAndTheDefaultKAsTheirOneKey() {
        final Map<String, Object> trainer = minimal();
        trainer.put("store.dimension", "64");
        final StreamingTrainerConfig config = new StreamingTrainerConfig(trainer);
        assertEquals(64, config.learner().trainer().lowDim());
        assertEquals(64, config.storeOptions().dimension());

        final EmbedderConfig embedder =
                new EmbedderConfig(Map.of("bootstrap.servers", "localhost:9092", "npid.embedder.default.k", "7"));
        assertEquals(7, embedder.defaultK());
    }
}
