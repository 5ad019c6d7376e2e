package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {

    @Test
    void shouldApplyTheDocumentedDefaults() {
        final TrainerConfig config = TrainerConfig.defaults();
        assertEquals("small-flat", config.backbone());
        assertEquals("softmax", config.objective());
        assertEquals(0.1, config.temperature());
        assertEquals(4096, config.nceK());
        assertEquals(0.5, config.bankMomentum());
        assertEquals(0.02, config.learningRate(1), "grey input");
        assertEquals(0.03, config.learningRate(3), "colour input");
        final TrainerConfig nce = config.with(Map.of(TrainerConfig.OBJECTIVE_CONFIG, "nce"));
        assertEquals(0.01, nce.learningRate(1), "NCE on grey input");
        assertEquals(0.03, nce.learningRate(3), "NCE on colour input");
        assertEquals(
                0.05,
                config.with(java.util.Map.of(TrainerConfig.LR_CONFIG, "0.05")).learningRate(3));
        assertEquals(0.9, config.sgdMomentum());
        assertEquals(5e-4, config.weightDecay());
        assertEquals(64, config.batchSize());
        assertEquals(128, config.lowDim());
        assertEquals(0.85, config.cropScaleMin(1), "grey input");
        assertEquals(0.5, config.cropScaleMin(3), "colour input");
        assertEquals(0.85, config.augmentation(28, 1).cropScaleMin());
        assertEquals(0.5, config.augmentation(32, 3).cropScaleMin());
        assertEquals(2, config.augmentation(28, 1).translate());
        assertEquals(1, config.bankRefreshEpochs());
        assertEquals(200, config.knnK());
        // 0.1 for NCE too, not the paper's ImageNet 0.07 (3.4 kNN points lower on Fashion-MNIST)
        assertEquals(
                0.1,
                TrainerConfig.defaults()
                        .with(Map.of(TrainerConfig.OBJECTIVE_CONFIG, "nce"))
                        .temperature());
    }

    @Test
    void shouldLetASetCropOverrideTheInputsDefaultAndKeepTheDefaultWithinTheLargestCrop() {
        final TrainerConfig set = TrainerConfig.defaults().with(Map.of(TrainerConfig.CROP_SCALE_MIN_CONFIG, "1.0"));
        assertEquals(1.0, set.cropScaleMin(1));
        assertEquals(1.0, set.cropScaleMin(3));
        final TrainerConfig smallMax =
                TrainerConfig.defaults().with(Map.of(TrainerConfig.CROP_SCALE_MAX_CONFIG, "0.7"));
        assertEquals(0.7, smallMax.cropScaleMin(1), "grey's 0.85 would exceed the largest crop");
        assertEquals(0.5, smallMax.cropScaleMin(3));
        final ConfigException e = assertThrows(
                ConfigException.class,
                () -> TrainerConfig.defaults()
                        .with(Map.of(
                                TrainerConfig.CROP_SCALE_MIN_CONFIG,
                                "0.9",
                                TrainerConfig.CROP_SCALE_MAX_CONFIG,
                                "0.7")));
        assertTrue(e.getMessage().contains(TrainerConfig.CROP_SCALE_MIN_CONFIG), e.getMessage());
        assertThrows(
                ConfigException.class,
                () -> TrainerConfig.defaults().with(Map.of(TrainerConfig.CROP_SCALE_MIN_CONFIG, "0")));
    }

    @Test
    void shouldFailFastNamingTheSetting() {
        final ConfigException e = assertThrows(
                ConfigException.class, () -> new TrainerConfig(Map.of(TrainerConfig.BATCH_SIZE_CONFIG, "1")));
        assertTrue(e.getMessage().startsWith("Invalid value 1 for configuration npid.batch.size"), e.getMessage());
        assertThrows(ConfigException.class, () -> new TrainerConfig(Map.of(TrainerConfig.OBJECTIVE_CONFIG, "mse")));
        assertThrows(ConfigException.class, () -> new TrainerConfig(Map.of(TrainerConfig.TEMPERATURE_CONFIG, "0")));
        assertThrows(ConfigException.class, () -> new TrainerConfig(Map.of(TrainerConfig.MOMENTUM_CONFIG, "1")));
        assertThrows(ConfigException.class, () -> new TrainerConfig(Map.of(TrainerConfig.LR_CONFIG, "fast")));
        final ConfigException crop = assertThrows(
                ConfigException.class,
                () -> new TrainerConfig(Map.of(
                        TrainerConfig.CROP_SCALE_MIN_CONFIG, "0.8", TrainerConfig.CROP_SCALE_MAX_CONFIG, "0.5")));
        assertTrue(crop.getMessage().contains("npid.crop.scale.min"), crop.getMessage());
        assertThrows(
                ConfigException.class,
                () -> new TrainerConfig(Map.of(
                        TrainerConfig.NORMALIZE_MEAN_CONFIG, "0.5", TrainerConfig.NORMALIZE_STD_CONFIG, "0.5,0.5")));
    }

    /** A typo in the learner's own namespaces stops the process, naming the key meant, instead of training on. */
    @Test
    void shouldRefuseAMisspelledLearnerSettingSuggestingTheRightOne() {
        final ConfigException lr =
                assertThrows(ConfigException.class, () -> new TrainerConfig(Map.of("npid.lrr", "0.1")));
        assertTrue(
                lr.getMessage().contains("npid.lrr") && lr.getMessage().contains("did you mean npid.lr?"),
                lr.getMessage());
        final ConfigException nce =
                assertThrows(ConfigException.class, () -> new TrainerConfig(Map.of("npid.nce.kk", "10")));
        assertTrue(nce.getMessage().contains("did you mean npid.nce.k?"), nce.getMessage());
        assertTrue(nce.getMessage().contains("npid settings trainer"), nce.getMessage());
    }

    @Test
    void shouldIgnoreOtherComponentsKeysAndListEffectiveValues() {
        final TrainerConfig config = new TrainerConfig(Map.of(
                "bootstrap.servers",
                "x:1",
                "npid.trainer.data.dir",
                "/tmp",
                TrainerConfig.NORMALIZE_MEAN_CONFIG,
                "0.1,0.2,0.3",
                TrainerConfig.NORMALIZE_STD_CONFIG,
                "1,1,1"));
        assertEquals("0.1", config.toMap().get(TrainerConfig.TEMPERATURE_CONFIG));
        assertTrue(config.toString().contains("npid.lr=0.02 for grey input, 0.03 for colour"), config.toString());
        assertTrue(
                config.toString().contains("npid.crop.scale.min=0.85 for grey input, 0.5 for colour"),
                config.toString());
        assertArrayEquals(
                new float[] {0.1f, 0.2f, 0.3f}, config.augmentation(32, 3).mean());
        assertThrows(ConfigException.class, () -> config.augmentation(28, 1));
    }

    @Test
    void shouldScheduleTheLearningRate() {
        final LearningRateSchedule step = new LearningRateSchedule(
                TrainerConfig.defaults()
                        .with(Map.of(
                                TrainerConfig.LR_SCHEDULE_CONFIG,
                                "step",
                                TrainerConfig.LR_DECAY_EPOCHS_CONFIG,
                                "2,4",
                                TrainerConfig.LR_CONFIG,
                                "0.03")),
                1);
        assertEquals(0.03, step.rate(10, 1.5), 1e-12);
        assertEquals(0.003, step.rate(10, 2.0), 1e-12);
        assertEquals(0.0003, step.rate(10, 4.5), 1e-12);
        final LearningRateSchedule cosine = new LearningRateSchedule(
                TrainerConfig.defaults()
                        .with(Map.of(
                                TrainerConfig.LR_SCHEDULE_CONFIG,
                                "cosine",
                                TrainerConfig.EPOCHS_CONFIG,
                                "4",
                                TrainerConfig.LR_CONFIG,
                                "0.03",
                                TrainerConfig.LR_WARMUP_STEPS_CONFIG,
                                "10")),
                1);
        assertEquals(0.003, cosine.rate(0, 0), 1e-12);
        assertEquals(0.015, cosine.rate(100, 2), 1e-12);
        assertEquals(0.0, cosine.rate(1000, 4), 1e-12);
    }
}
