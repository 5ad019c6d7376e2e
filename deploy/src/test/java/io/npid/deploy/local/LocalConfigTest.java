package io.npid.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.train.TrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class LocalConfigTest {

    private static LocalConfig config(final int epochs, final int trainLimit, final String backbone) {
        return new LocalConfig(null, true, epochs, trainLimit, 50, backbone, 32, 2, 0, false, null, 1);
    }

    @Test
    void shouldNameTheOptionOfAnInvalidValue() {
        final ConfigException epochs = assertThrows(ConfigException.class, () -> config(0, 100, "small"));
        final ConfigException limit = assertThrows(ConfigException.class, () -> config(1, 5, "small"));
        final ConfigException backbone = assertThrows(ConfigException.class, () -> config(1, 100, "vgg"));

        assertEquals("Invalid value 0 for configuration --epochs: must be at least 1", epochs.getMessage());
        assertTrue(limit.getMessage().startsWith("Invalid value 5 for configuration --train-limit"));
        assertTrue(backbone.getMessage().startsWith("Invalid value vgg for configuration --backbone"));
    }

    @Test
    void shouldSplitTheSyntheticSetIntoDisjointTrainingAndTestImages() throws IOException {
        final LocalDataSet data = LocalDataSet.load(config(1, 100, "small"), new PrintWriter(new StringWriter()));

        assertTrue(data.synthetic());
        assertEquals(100, data.train().size());
        assertEquals(50, data.test().size());
        assertEquals(10, data.classNames().size());
        assertTrue(data.train().decode(0).pixels() != data.test().decode(0).pixels());
    }

    @Test
    void shouldTrainSmallerSetsForMoreEpochsByDefault() {
        assertEquals(3, LocalConfig.epochsFor(60_000), "Fashion-MNIST keeps its measured 3 epochs");
        assertEquals(9, LocalConfig.epochsFor(20_000));
        assertEquals(39, LocalConfig.epochsFor(4_660), "the CIFAR-10 subset");
        assertEquals(100, LocalConfig.epochsFor(64), "at most 100");
        assertEquals(3, LocalConfig.epochsFor(1_000_000), "at least 3");
        assertEquals(7, config(3, 100, "small").withEpochs(7).epochs());
    }

    @Test
    void shouldLeaveTheRecipeToTheTrainersPerInputDefaultsUnlessSet() throws IOException {
        final PrintWriter quiet = new PrintWriter(new StringWriter());
        final Path state = Path.of("state");
        final LocalConfig grey = config(1, 100, "small");
        final LocalConfig colour =
                new LocalConfig(null, true, 1, 100, 50, "small", 32, 2, 0, false, null, 1, null, 3, Map.of());
        final LocalConfig set = new LocalConfig(
                null,
                true,
                1,
                100,
                50,
                "small",
                32,
                2,
                0,
                false,
                null,
                1,
                null,
                null,
                Map.of("npid.lr", "0.05", "npid.crop.scale.min", "0.7"));

        for (final LocalConfig unset : List.of(grey, colour)) {
            final Map<String, Object> s = LocalStack.trainerSettings(unset, LocalDataSet.load(unset, quiet), state);
            assertFalse(s.containsKey(TrainerConfig.LR_CONFIG), s.toString());
            assertFalse(s.containsKey(TrainerConfig.CROP_SCALE_MIN_CONFIG), s.toString());
            assertEquals(32, s.get(TrainerConfig.BATCH_SIZE_CONFIG));
        }
        final Map<String, Object> setSettings = LocalStack.trainerSettings(set, LocalDataSet.load(set, quiet), state);
        assertEquals("0.05", setSettings.get(TrainerConfig.LR_CONFIG));
        assertEquals("0.7", setSettings.get(TrainerConfig.CROP_SCALE_MIN_CONFIG));
    }
}
