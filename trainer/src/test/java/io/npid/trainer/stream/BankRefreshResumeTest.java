package io.npid.trainer.stream;

import static io.npid.trainer.stream.BankRefreshSpreadTest.DIM;
import static io.npid.trainer.stream.BankRefreshSpreadTest.SIDE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.checkpoint.CheckpointMeta;
import io.npid.trainer.checkpoint.RefreshProgress;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.InMemoryImageSource;
import io.npid.trainer.data.SyntheticShapes;
import io.npid.trainer.train.CyclingBatches;
import io.npid.trainer.train.NpidLearner;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spread refresh's progress goes into the checkpoint, and a trainer restarted from it resumes the refresh at the
 * saved row with the restored model, ending with the rows a full refresh by that model writes.
 */
class BankRefreshResumeTest {
    private static final int ROWS = 40;
    private static final int BATCH = 8;
    private static final int SLICE = 6;

    @TempDir
    Path dir;

    private static BankRefresh spread(final NpidLearner learner, final InMemoryImageSource source) {
        return new BankRefresh(learner, source, 1, ROWS - 1, r -> SLICE);
    }

    private static NpidLearner restored(final CheckpointDirectory.Checkpoint checkpoint, final float[] bank)
            throws Exception {
        final NpidLearner learner =
                NpidLearner.load(checkpoint.learnerDir(), BankRefreshSpreadTest.config(BATCH, Map.of()));
        learner.resetBank(bank);
        return learner;
    }

    @Test
    void shouldResumeAtTheSavedRowWithTheRestoredModel() throws Exception {
        final List<DecodedImage> images = SyntheticShapes.generate(ROWS, 3).images();
        final InMemoryImageSource source = new InMemoryImageSource(images);
        final CheckpointDirectory checkpoints = new CheckpointDirectory(dir, 2);
        final float[] bankAtCheckpoint;
        try (NpidLearner learner = BankRefreshSpreadTest.learner(images, BATCH, Map.of())) {
            final BankRefresh refresh = spread(learner, source);
            assertNull(refresh.progress(), "none before it starts");
            assertTrue(refresh.startIfDue(1, ROWS));
            for (int step = 0; step < 3; step++) {
                learner.step(CyclingBatches.of(learner, images, step, BATCH, SIDE));
                refresh.runSlice();
            }
            final RefreshProgress progress = refresh.progress();
            assertEquals(new RefreshProgress(1, 3 * SLICE, ROWS), progress);
            bankAtCheckpoint = learner.bankRows();
            checkpoints.write(
                    new CheckpointMeta(
                            CheckpointMeta.FORMAT_VERSION,
                            "m",
                            1,
                            learner.stepCount(),
                            1,
                            -1,
                            0,
                            0,
                            ROWS,
                            Map.of(),
                            0,
                            learner.encoderConfig(),
                            Map.of(),
                            progress),
                    (learnerDir, storeDir) -> learner.save(learnerDir));
            // work after the checkpoint, lost in the crash
            learner.step(CyclingBatches.of(learner, images, 3, BATCH, SIDE));
            refresh.runSlice();
        }
        final CheckpointDirectory.Checkpoint checkpoint =
                new CheckpointDirectory(dir, 2).latest().orElseThrow();
        assertEquals(new RefreshProgress(1, 18, ROWS), checkpoint.meta().refresh(), "read back from checkpoint.json");
        final float[] full;
        try (NpidLearner twin = restored(checkpoint, bankAtCheckpoint)) {
            full = BankRefreshSpreadTest.pausedRefresh(twin, source, ROWS);
        }
        try (NpidLearner learner = restored(checkpoint, bankAtCheckpoint)) {
            final BankRefresh refresh = spread(learner, source);
            refresh.resume(checkpoint.meta().refresh(), learner.bankSize());
            assertTrue(refresh.active());
            assertFalse(refresh.pausesTraining(), "spread as before the restart");
            assertEquals(checkpoint.meta().refresh(), refresh.progress());
            assertThrows(
                    IllegalStateException.class,
                    () -> refresh.resume(checkpoint.meta().refresh(), ROWS));
            final float[] written = new float[ROWS * DIM];
            int first = -1;
            int slices = 0;
            long step = 4;
            BankRefresh.Slice slice;
            do {
                learner.step(CyclingBatches.of(learner, images, step++, BATCH, SIDE));
                slice = refresh.runSlice();
                first = first < 0 ? slice.rows()[0] : first;
                System.arraycopy(slice.vectors(), 0, written, slice.rows()[0] * DIM, slice.vectors().length);
                slices++;
            } while (!slice.last());
            assertEquals(18, first, "resumed at the saved row");
            assertEquals(4, slices, "rows 18-39 in slices of 6");
            assertNull(refresh.progress(), "nothing left to resume");
            assertArrayEquals(
                    Arrays.copyOfRange(full, 18 * DIM, ROWS * DIM),
                    Arrays.copyOfRange(written, 18 * DIM, ROWS * DIM),
                    1e-4f,
                    "rows 18-39 as a full refresh by the restored model writes them");
        }
    }

    @Test
    void shouldRefuseToResumeARefreshLargerThanTheBank() {
        final List<DecodedImage> images = SyntheticShapes.generate(ROWS, 3).images();
        try (NpidLearner learner = BankRefreshSpreadTest.learner(images, BATCH, Map.of())) {
            final BankRefresh refresh = spread(learner, new InMemoryImageSource(images));
            final IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> refresh.resume(new RefreshProgress(1, 5, ROWS + 1), ROWS));
            assertTrue(e.getMessage().contains("41 rows but the bank has 40"), e.getMessage());
        }
    }
}
