package io.npid.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.InMemoryImageSource;
import io.npid.trainer.data.SyntheticShapes;
import io.npid.trainer.train.CyclingBatches;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.TrainerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bank refresh above npid.bank.refresh.pause.rows runs a slice per step instead of pausing training, sized by
 * npid.bank.refresh.spread.epochs, and writes what a paused refresh would have.
 */
class BankRefreshSpreadTest {
    static final int SIDE = 28;
    static final int DIM = 16;

    /** The small learner of these tests: DIM-d, one CPU thread, the given batch, plus {@code settings}. */
    static TrainerConfig config(final int batch, final Map<String, String> settings) {
        final Map<String, String> all = new HashMap<>(Map.of(
                TrainerConfig.LOW_DIM_CONFIG,
                String.valueOf(DIM),
                TrainerConfig.THREADS_CONFIG,
                "1",
                TrainerConfig.DEVICE_CONFIG,
                "cpu",
                TrainerConfig.BATCH_SIZE_CONFIG,
                String.valueOf(batch)));
        all.putAll(settings);
        return TrainerConfig.defaults().with(all);
    }

    static NpidLearner learner(final List<DecodedImage> images, final int batch, final Map<String, String> settings) {
        final NpidLearner learner = NpidLearner.create(config(batch, settings), 1, SIDE);
        learner.appendBankRows(learner.embed(images));
        return learner;
    }

    /** What a paused refresh of every row writes: the bank after it, with no step between its slices. */
    static float[] pausedRefresh(final NpidLearner learner, final InMemoryImageSource source, final int rows) {
        final BankRefresh refresh = new BankRefresh(learner, source, 1, rows, r -> 1);
        assertTrue(refresh.startIfDue(1, rows));
        assertTrue(refresh.pausesTraining(), rows + " rows, pause up to " + rows);
        while (!refresh.runSlice().last()) {
            // slices until the last
        }
        return learner.bankRows();
    }

    /**
     * Runs a step, then a slice, until the refresh ends, copying each slice's vectors into {@code written}.
     *
     * @return the slices run
     */
    static int stepAndSlice(
            final NpidLearner learner,
            final BankRefresh refresh,
            final List<DecodedImage> images,
            final int batch,
            final float[] written) {
        int slices = 0;
        long step = 0;
        BankRefresh.Slice slice;
        do {
            learner.step(CyclingBatches.of(learner, images, step++, batch, SIDE));
            slice = refresh.runSlice();
            System.arraycopy(slice.vectors(), 0, written, slice.rows()[0] * DIM, slice.vectors().length);
            slices++;
            if (!slice.last()) {
                assertFalse(refresh.startIfDue(2, images.size()), "a refresh due meanwhile does not restart it");
            }
        } while (!slice.last());
        return slices;
    }

    @Test
    void shouldWriteTheRowsOfAPausedRefreshWhileStepsRunBetweenSlices() {
        final int rows = 40;
        final List<DecodedImage> images = SyntheticShapes.generate(rows, 3).images();
        final InMemoryImageSource source = new InMemoryImageSource(images);
        final float[] paused;
        try (NpidLearner twin = learner(images, 8, Map.of())) {
            paused = pausedRefresh(twin, source, rows);
        }
        try (NpidLearner learner = learner(images, 8, Map.of())) {
            final BankRefresh refresh = new BankRefresh(learner, source, 1, rows - 1, r -> 6);
            assertTrue(refresh.startIfDue(1, rows));
            assertFalse(refresh.pausesTraining(), "40 rows, pause up to 39: spread");
            final float[] spread = new float[paused.length];
            assertEquals(7, stepAndSlice(learner, refresh, images, 8, spread), "40 rows in slices of 6");
            assertFalse(refresh.active());
            assertArrayEquals(paused, spread, 1e-4f, "every refreshed row as the paused refresh wrote it");
        }
    }

    @Test
    void shouldEndWithinTheSpreadEpochsWithSlicesSizedFromTheSettings() {
        // 144 rows in batches of 48 are 3 steps an epoch; spread over 1 epoch: 3 slices of 48 rows
        final int rows = 144;
        final int batch = 48;
        final List<DecodedImage> images = SyntheticShapes.generate(rows, 3).images();
        final InMemoryImageSource source = new InMemoryImageSource(images);
        final Map<String, String> settings = Map.of(
                TrainerConfig.BANK_REFRESH_PAUSE_ROWS_CONFIG,
                String.valueOf(rows - 1),
                TrainerConfig.BANK_REFRESH_SPREAD_EPOCHS_CONFIG,
                "1");
        final float[] paused;
        try (NpidLearner twin = learner(images, batch, settings)) {
            paused = pausedRefresh(twin, source, rows);
        }
        try (NpidLearner learner = learner(images, batch, settings)) {
            final BankRefresh refresh = new BankRefresh(learner, source, 1);
            assertTrue(refresh.startIfDue(1, rows));
            assertFalse(refresh.pausesTraining());
            assertEquals(48, refresh.sliceRows());
            final float[] spread = new float[paused.length];
            assertEquals(3, stepAndSlice(learner, refresh, images, batch, spread), "one epoch of steps");
            assertArrayEquals(paused, spread, 1e-4f, "every refreshed row as the paused refresh wrote it");
        }
    }
}
