package io.npid.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.InMemoryImageSource;
import io.npid.trainer.data.SyntheticShapes;
import io.npid.trainer.train.CyclingBatches;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.TrainerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bank refresh above npid.bank.refresh.pause.rows runs a slice per step instead of pausing training. */
class BankRefreshSpreadTest {
    private static final int SIDE = 28;
    private static final int ROWS = 40;
    private static final int BATCH = 8;

    private static NpidLearner learner(final List<DecodedImage> images) {
        final NpidLearner learner = NpidLearner.create(
                TrainerConfig.defaults()
                        .with(Map.of(
                                TrainerConfig.LOW_DIM_CONFIG,
                                "16",
                                TrainerConfig.THREADS_CONFIG,
                                "1",
                                TrainerConfig.DEVICE_CONFIG,
                                "cpu",
                                TrainerConfig.BATCH_SIZE_CONFIG,
                                String.valueOf(BATCH))),
                1,
                SIDE);
        learner.appendBankRows(learner.embed(images));
        return learner;
    }

    private static AugmentedBatch batch(final NpidLearner learner, final List<DecodedImage> images, final long step) {
        return CyclingBatches.of(learner, images.subList(0, ROWS), step, BATCH, SIDE);
    }

    @Test
    void shouldWriteTheRowsOfAPausedRefreshWhileStepsRunBetweenSlices() {
        final List<DecodedImage> images = SyntheticShapes.generate(ROWS, 3).images();
        final InMemoryImageSource source = new InMemoryImageSource(images);
        final float[] paused;
        try (NpidLearner twin = learner(images)) {
            final BankRefresh refresh = new BankRefresh(twin, source, 1, ROWS, 6);
            assertTrue(refresh.startIfDue(1, ROWS));
            assertTrue(refresh.pausesTraining(), "40 rows, pause up to 40");
            BankRefresh.Slice slice;
            do {
                slice = refresh.runSlice();
            } while (!slice.last());
            paused = twin.bankRows();
        }
        try (NpidLearner learner = learner(images)) {
            final BankRefresh refresh = new BankRefresh(learner, source, 1, ROWS - 1, 6);
            assertTrue(refresh.startIfDue(1, ROWS));
            assertFalse(refresh.pausesTraining(), "40 rows, pause up to 39: spread");
            final float[] spread = new float[paused.length];
            int slices = 0;
            long step = 0;
            BankRefresh.Slice slice;
            do {
                learner.step(batch(learner, images, step++));
                slice = refresh.runSlice();
                System.arraycopy(slice.vectors(), 0, spread, slice.rows()[0] * 16, slice.vectors().length);
                slices++;
                if (!slice.last()) {
                    assertFalse(refresh.startIfDue(2, ROWS), "a refresh due meanwhile does not restart it");
                }
            } while (!slice.last());
            assertEquals(7, slices, "40 rows in slices of 6");
            assertFalse(refresh.active());
            assertArrayEquals(paused, spread, 1e-4f, "every refreshed row as the paused refresh wrote it");
        }
    }
}
