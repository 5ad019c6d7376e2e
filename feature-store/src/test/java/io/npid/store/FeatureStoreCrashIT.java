package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that ingests batches with SIGKILL at random moments, again and again, and checks after every
 * reopen that each batch is wholly present with its offsets or wholly absent, with rows 0..N-1 and nothing lost that
 * the child saw committed.
 */
class FeatureStoreCrashIT {
    private static final int KILLS = 24;
    private static final long SEED = 20180618L;

    @TempDir
    Path dir;

    /** What the batches below the stored offset must have left in the store. */
    private static final class Expected {
        final List<String> idsByRow = new ArrayList<>();
        final Map<String, Integer> lastVersion = new HashMap<>();
        final Map<String, String> labels = new HashMap<>();
        int batches;

        void advanceTo(final int offset) {
            for (; batches < offset; batches++) {
                for (final String id : CrashBatches.ids(SEED, batches)) {
                    if (lastVersion.put(id, batches) == null) {
                        idsByRow.add(id);
                    }
                }
                labels.putAll(CrashBatches.labels(SEED, batches));
            }
        }
    }

    @Test
    void shouldKeepEveryBatchWholeOrAbsentAcrossRepeatedKillNine() throws Exception {
        final Path store = dir.resolve("store");
        final Random timing = new Random(SEED);
        final Expected expected = new Expected();
        int offset = 0;
        int killsMidIngest = 0;
        long verifyNanos = 0;
        final long testStart = System.nanoTime();
        for (int kill = 1; kill <= KILLS; kill++) {
            final ChildJvm child = ChildJvm.start(
                    StoreChildProcess.class,
                    dir,
                    "child-" + kill,
                    "crash-ingest",
                    store.toString(),
                    Long.toString(SEED));
            int lastCommitted = offset - 1;
            try (child) {
                // One kill in four lands while the child starts or recovers the store; the rest while it ingests.
                final boolean duringOpen = kill % 4 == 0;
                if (duringOpen) {
                    Thread.sleep(50 + timing.nextInt(400));
                } else {
                    // Wait for the first commit, so that the kill surely lands while batches are being written.
                    final List<String> started = child.awaitLines(2, 60_000);
                    assertTrue(started.size() >= 2, "child never committed: " + started + " " + child.stderrTail());
                    assertEquals("OPEN " + offset, started.get(0), "the child resumes from the stored offset");
                    Thread.sleep(timing.nextInt(150));
                }
                for (final String line : child.kill()) {
                    if (line.startsWith("C ")) {
                        lastCommitted = Integer.parseInt(line.substring(2));
                    }
                }
                if (lastCommitted >= offset) {
                    killsMidIngest++;
                }
            }
            // Step 2: the store opens, and its offset says exactly which batches it holds.
            try (FeatureStore reopened = FeatureStore.open(store, StoreOptions.defaults(CrashBatches.DIM))) {
                final int stored =
                        reopened.offsets().getOrDefault(CrashBatches.IMAGES, 0L).intValue();
                assertTrue(stored >= offset, "offset went back from " + offset + " to " + stored);
                assertTrue(
                        stored >= lastCommitted + 1,
                        "kill " + kill + " lost batch " + lastCommitted + " whose commit had returned (stored offset "
                                + stored + ")");
                assertTrue(
                        stored <= lastCommitted + 2,
                        "stored offset " + stored + " is past the batch in flight " + (lastCommitted + 1));
                assertEquals(
                        stored == 0 ? null : (long) stored,
                        reopened.offsets().get(CrashBatches.LABELS),
                        "both offsets are written by the same batch");
                offset = stored;
                expected.advanceTo(offset);
                // Step 3: rows 0..N-1, one per distinct id of batches < offset, with the latest image and vector.
                final long v0 = System.nanoTime();
                verify(reopened, expected, kill);
                verifyNanos += System.nanoTime() - v0;
            }
        }
        System.out.printf(
                "crash test: %d kills (%d mid-ingest), %d batches, %d rows, %.1f s (%.1f s verifying)%n",
                KILLS,
                killsMidIngest,
                offset,
                expected.idsByRow.size(),
                (System.nanoTime() - testStart) / 1e9,
                verifyNanos / 1e9);
        assertTrue(offset >= 2 * KILLS, "the children committed only " + offset + " batches in " + KILLS + " runs");
        assertTrue(
                killsMidIngest >= KILLS - KILLS / 4,
                "every kill not aimed at the open must hit a running ingest," + " but only " + killsMidIngest + " did");
    }

    private static void verify(final FeatureStore store, final Expected expected, final int kill) {
        final int n = expected.idsByRow.size();
        assertEquals(n, store.size(), "kill " + kill + ": N must equal the distinct ids of batches < offset");
        final int[] visited = {0};
        store.forEachRow((id, row, label, vector) -> {
            if (row != visited[0]) {
                fail("kill " + kill + ": row " + row + " follows row " + (visited[0] - 1) + " (gap or duplicate)");
            }
            assertEquals(expected.idsByRow.get(row), id, "kill " + kill + ": id of row " + row);
            final int version = expected.lastVersion.get(id);
            assertArrayEquals(
                    TestData.unitVector(id, version, CrashBatches.DIM),
                    vector,
                    "kill " + kill + ": vector of " + id + " must be version " + version);
            assertEquals(expected.labels.get(id), label, "kill " + kill + ": class name of " + id);
            visited[0]++;
        });
        assertEquals(n, visited[0], "kill " + kill + ": rows visited");
        final int[] rows = new int[n];
        final Map<String, Integer> rowsById = new LinkedHashMap<>();
        for (int r = 0; r < n; r++) {
            rows[r] = r;
            rowsById.put(expected.idsByRow.get(r), r);
        }
        final List<StoredImage> images = store.readImages(rows);
        for (int r = 0; r < n; r++) {
            final String id = expected.idsByRow.get(r);
            assertEquals(
                    TestData.image(id, expected.lastVersion.get(id), CrashBatches.SIDE),
                    images.get(r),
                    "kill " + kill + ": image of " + id);
        }
        rowsById.forEach((id, row) -> assertEquals(row, store.rowOf(id), "kill " + kill + ": rowOf(" + id + ")"));
        for (final String id : CrashBatches.ids(SEED, expected.batches)) {
            if (!expected.lastVersion.containsKey(id)) {
                assertEquals(-1, store.rowOf(id), "kill " + kill + ": " + id + " of the uncommitted batch is absent");
            }
        }
        final String nextLabelled = "img-" + (expected.batches + 1) + "-0";
        assertEquals(
                Optional.empty(),
                store.labelOf(nextLabelled),
                "kill " + kill + ": the label set by the uncommitted batch is absent");
    }
}
