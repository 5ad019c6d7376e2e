package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.LabelledImages;
import io.npid.trainer.data.SplitMix64;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The bank refresh: re-embedding stored images with the current encoder over their bank rows. */
class BankRefreshTest {
    private static final int ROWS = 40;

    private static TrainerConfig config(final Map<String, String> extra) {
        final Map<String, String> settings = new java.util.HashMap<>(Map.of(
                TrainerConfig.LOW_DIM_CONFIG,
                "16",
                TrainerConfig.THREADS_CONFIG,
                "1",
                TrainerConfig.DEVICE_CONFIG,
                "cpu",
                TrainerConfig.BATCH_SIZE_CONFIG,
                "8",
                TrainerConfig.KNN_K_CONFIG,
                "10"));
        settings.putAll(extra);
        return TrainerConfig.defaults().with(settings);
    }

    @Test
    void shouldReplaceARangeOfBankRowsAndRefuseRowsOutsideTheBank() {
        try (NDManager manager = NDManager.newBaseManager();
                MemoryBank bank = new MemoryBank(manager, 4, 2)) {
            final float[] rows = MemoryBank.randomRows(9, 4, new SplitMix64(5));
            bank.append(rows);
            final float[] twos = new float[3 * 4];
            Arrays.fill(twos, 2f);
            bank.replace(4, twos);
            final float[] after = bank.toFloatArray();
            assertArrayEquals(Arrays.copyOf(rows, 16), Arrays.copyOf(after, 16));
            assertArrayEquals(twos, Arrays.copyOfRange(after, 16, 28));
            assertArrayEquals(Arrays.copyOfRange(rows, 28, 36), Arrays.copyOfRange(after, 28, 36));
            assertEquals(9, bank.size());
            assertThrows(IllegalArgumentException.class, () -> bank.replace(7, twos), "rows 7..9 of 9");
            assertThrows(IllegalArgumentException.class, () -> bank.replace(-1, new float[4]));
            assertThrows(IllegalArgumentException.class, () -> bank.replace(0, new float[6]));
        }
    }

    @Test
    void shouldRefreshBankRowsToTheCurrentEmbeddingAfterTraining() {
        final List<DecodedImage> images = Datasets.synthetic(ROWS, 3).images();
        try (NpidLearner learner =
                NpidLearner.create(config(Map.of()), 1, images.get(0).width())) {
            learner.appendBankRows(MemoryBank.randomRows(ROWS, 16, new SplitMix64(9)));
            final float[] before = learner.bankRows();
            final float[] fresh = learner.refreshBankRows(10, images.subList(10, 30));
            final float[] expected = learner.embed(images.subList(10, 30));
            assertArrayEquals(expected, fresh, 1e-6f);
            final float[] after = learner.bankRows();
            assertArrayEquals(Arrays.copyOf(before, 10 * 16), Arrays.copyOf(after, 10 * 16), "rows before 10 kept");
            assertArrayEquals(expected, Arrays.copyOfRange(after, 10 * 16, 30 * 16), 1e-6f);
            assertArrayEquals(
                    Arrays.copyOfRange(before, 30 * 16, ROWS * 16),
                    Arrays.copyOfRange(after, 30 * 16, ROWS * 16),
                    "rows from 30 kept");
            assertThrows(IllegalArgumentException.class, () -> learner.refreshBankRows(30, images.subList(0, 11)));
        }
    }

    @Test
    void shouldMakeTheBankEqualRecomputedFeaturesWhenOfflineTrainingRefreshesEachEpoch() throws InterruptedException {
        final LabelledImages train = Datasets.synthetic(120, 1);
        final LabelledImages test = Datasets.synthetic(60, 2);
        final TrainerConfig refreshing = config(Map.of(TrainerConfig.BANK_REFRESH_EPOCHS_CONFIG, "1"));
        final List<OfflineTraining.EpochReport> reports =
                OfflineTraining.run(refreshing, train, test, new OfflineTraining.Options(1, 4, true, false), r -> {});
        for (final OfflineTraining.EpochReport r : reports) {
            assertEquals(r.recomputedKnn(), r.bankKnn(), 1e-9, "refreshed bank = recomputed features: " + r);
        }
        final List<OfflineTraining.EpochReport> lagging = OfflineTraining.run(
                config(Map.of(TrainerConfig.BANK_REFRESH_EPOCHS_CONFIG, "0")),
                train,
                test,
                new OfflineTraining.Options(1, 4, true, false),
                r -> {});
        assertTrue(
                lagging.stream().anyMatch(r -> Math.abs(r.bankKnn() - r.recomputedKnn()) > 1e-9),
                "without a refresh the momentum bank lags the model: " + lagging);
    }

    @Test
    void shouldRefuseANegativeRefreshInterval() {
        final ConfigException e = assertThrows(
                ConfigException.class, () -> config(Map.of(TrainerConfig.BANK_REFRESH_EPOCHS_CONFIG, "-1")));
        assertTrue(e.getMessage().contains(TrainerConfig.BANK_REFRESH_EPOCHS_CONFIG), e.getMessage());
    }
}
