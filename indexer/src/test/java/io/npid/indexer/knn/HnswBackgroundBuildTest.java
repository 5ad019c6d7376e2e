package io.npid.indexer.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.TestEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Whole HNSW graph builds run off the calling thread: while one runs, searches give exactly the exact index's
 * answers, changes go on as usual, and the next change after it is done finds them all in the swapped-in graph.
 * Builds run on an executor the test drives, so nothing depends on timing.
 */
class HnswBackgroundBuildTest {

    private static final int DIM = 16;
    private static final int K = 20;

    private final Random random = new Random(11);
    private final ManualExecutor builds = new ManualExecutor();

    @Test
    void shouldAnswerExactlyDuringTheBuildAndSwapInEveryChangeMadeMeanwhile() {
        final ShardIndex hnsw = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.HNSW), null, builds);
        final ShardIndex exact = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.EXACT));
        loadBoth(hnsw, exact, 3_000);
        assertTrue(hnsw.hnsw().building(), "the load's build is queued, not run on this thread");
        assertEquals(1, builds.pending());
        assertSameAnswers(hnsw, exact);

        // Changes while the build runs: updates, removals, relabels and new rows.
        for (int i = 0; i < 3_000; i += 7) {
            putBoth(hnsw, exact, "img-" + i, vector(), "c" + i % 5);
        }
        for (int i = 1; i < 3_000; i += 11) {
            hnsw.remove("img-" + i);
            exact.remove("img-" + i);
        }
        for (int i = 2; i < 3_000; i += 13) {
            hnsw.setClassName("img-" + i, null);
            exact.setClassName("img-" + i, null);
        }
        for (int i = 3_000; i < 3_300; i++) {
            putBoth(hnsw, exact, "img-" + i, vector(), "c" + i % 5);
        }
        assertFalse(hnsw.hnsw().hasGraph(), "no graph is searched before the build is done");
        assertSameAnswers(hnsw, exact);

        builds.runAll();
        // The next change swaps the graph in and inserts the changes made since the snapshot.
        putBoth(hnsw, exact, "img-new", vector(), "c0");
        assertTrue(hnsw.hnsw().hasGraph());
        assertEquals(1, hnsw.hnsw().builds());
        assertEquals(0, hnsw.hnsw().tailNodes(), "the changes made during the build are in the new graph");
        assertEquals(exact.rows().size(), hnsw.hnsw().liveNodes());
        assertRecallAtLeast(hnsw, exact, 0.99);
    }

    @Test
    void shouldNotRebuildOnTheCallingThreadWhenGarbageGrows() {
        final ShardIndex hnsw = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.HNSW), null, builds);
        final ShardIndex exact = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.EXACT));
        loadBoth(hnsw, exact, 2_000);
        builds.runAll();
        hnsw.awaitSearchStructure();
        final HnswRows rows = hnsw.hnsw();
        assertEquals(1, rows.builds());

        // Every row updated: garbage passes a quarter of the nodes, a rebuild is queued, and the puts go on.
        for (int i = 0; i < 2_000; i++) {
            putBoth(hnsw, exact, "img-" + i, vector(), "c" + i % 5);
        }
        assertTrue(rows.building(), "the rebuild waits on the executor");
        assertEquals(1, rows.builds(), "no rebuild ran on this thread");
        assertRecallAtLeast(hnsw, exact, 0.99);

        builds.runFromNowOn();
        hnsw.awaitSearchStructure();
        assertTrue(rows.builds() >= 2);
        assertTrue(rows.garbageNodes() <= HnswRows.GARBAGE_FRACTION * (rows.liveNodes() + rows.garbageNodes()));
        assertRecallAtLeast(hnsw, exact, 0.99);
    }

    @Test
    void shouldKeepAutoExactUntilItsFirstGraphIsBuilt() {
        final IndexSettings auto = new IndexSettings(IndexForm.AUTO, 1_500, 4, 16, 100, 200, 1);
        final ShardIndex index = new ShardIndex(DIM, 16, auto, null, builds);
        final ShardIndex exact = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.EXACT));
        for (int i = 0; i < 1_500; i++) {
            putBoth(index, exact, "img-" + i, vector(), "c" + i % 5);
        }
        assertEquals(IndexForm.EXACT, index.activeForm(), "searches stay exact while the first graph is built");
        assertSameAnswers(index, exact);
        builds.runAll();
        assertEquals(IndexForm.HNSW, index.activeForm());
        assertRecallAtLeast(index, exact, 0.99);
    }

    @Test
    void shouldTakeInTheRowsAddedDuringABuildWhenNoChangeFollows() {
        final ShardIndex hnsw = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.HNSW), null, builds);
        final ShardIndex exact = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.EXACT));
        loadBoth(hnsw, exact, 3_000);
        // More rows than a tail takes in one go arrive during the build, then the input goes quiet.
        for (int i = 3_000; i < 3_000 + HnswRows.TAIL_LIMIT + 500; i++) {
            putBoth(hnsw, exact, "img-" + i, vector(), "c" + i % 5);
        }
        builds.runAll();
        assertEquals(0, hnsw.hnsw().builds(), "nothing has taken the build in yet");

        hnsw.maintain();
        assertEquals(1, hnsw.hnsw().builds());
        assertTrue(hnsw.hnsw().building(), "the long tail starts the next build at once");
        builds.runAll();
        hnsw.maintain();
        assertEquals(2, hnsw.hnsw().builds());
        assertEquals(0, hnsw.hnsw().tailNodes(), "every row is in the graph without another change");
        assertRecallAtLeast(hnsw, exact, 0.99);
    }

    @Test
    void shouldStopTheBuildAtItsNextNodeWhenTheShardCloses() throws Exception {
        final List<Runnable> queued = new ArrayList<>();
        final ShardIndex index = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.HNSW), null, queued::add);
        index.beginLoad();
        for (int i = 0; i < 3_000; i++) {
            index.put("img-" + i, vector());
        }
        index.endLoad();
        assertEquals(1, queued.size());

        final int inFlight = ShardIndex.graphBuildsInFlight();
        assertTrue(inFlight >= 1, "the queued build is in flight");
        index.close();
        // The build starts after the close (as a queued or running one would reach its next node) and stops there.
        queued.get(0).run();
        final ExecutionException stopped =
                assertThrows(ExecutionException.class, () -> ((Future<?>) queued.get(0)).get());
        assertInstanceOf(CancellationException.class, stopped.getCause());
        assertFalse(index.hnsw().building());
        assertEquals(inFlight - 1, ShardIndex.graphBuildsInFlight(), "an abandoned build leaves the count");
    }

    @Test
    void shouldRunBuildsOnTheBackgroundExecutorByDefault() {
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final Executor recording = task -> HnswRows.BACKGROUND.execute(() -> {
            threads.add(Thread.currentThread());
            task.run();
        });
        final ShardIndex index = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.HNSW), null, recording);
        index.beginLoad();
        for (int i = 0; i < 2_000; i++) {
            index.put("img-" + i, vector());
        }
        index.endLoad();
        index.awaitSearchStructure();
        assertEquals(1, threads.size());
        assertNotSame(Thread.currentThread(), threads.get(0));
        assertTrue(threads.get(0).isDaemon());
    }

    /** Loads rows img-0.. into both indexes, the HNSW one as a restore (its one build queued at the end). */
    private void loadBoth(final ShardIndex hnsw, final ShardIndex exact, final int rows) {
        hnsw.beginLoad();
        for (int i = 0; i < rows; i++) {
            putBoth(hnsw, exact, "img-" + i, vector(), "c" + i % 5);
        }
        hnsw.endLoad();
    }

    private void putBoth(
            final ShardIndex a, final ShardIndex b, final String id, final float[] vector, final String className) {
        a.put(id, vector);
        a.setClassName(id, className);
        b.put(id, vector);
        b.setClassName(id, className);
    }

    private float[] vector() {
        return TestEvents.unitVector(random, DIM);
    }

    /** The same slots and the same similarity bits as the exact index, query for query. */
    private void assertSameAnswers(final ShardIndex index, final ShardIndex exact) {
        final ShardSearcher searcher = new ShardSearcher(K, KernelType.AUTO);
        final TopKResults got = new TopKResults();
        final TopKResults want = new TopKResults();
        for (int q = 0; q < 20; q++) {
            final float[] query = vector();
            searcher.search(index, query, 1, K, got);
            searcher.search(exact, query, 1, K, want);
            assertEquals(want.count(0), got.count(0));
            for (int r = 0; r < want.count(0); r++) {
                assertEquals(exact.rows().idAt(want.slot(0, r)), index.rows().idAt(got.slot(0, r)));
                assertEquals(want.similarity(0, r), got.similarity(0, r));
            }
        }
    }

    private void assertRecallAtLeast(final ShardIndex index, final ShardIndex exact, final double stated) {
        final ShardSearcher searcher = new ShardSearcher(K, KernelType.AUTO);
        final TopKResults got = new TopKResults();
        final TopKResults want = new TopKResults();
        int found = 0;
        int expected = 0;
        for (int q = 0; q < 40; q++) {
            final float[] query = vector();
            searcher.search(index, query, 1, K, got);
            searcher.search(exact, query, 1, K, want);
            final List<String> ids = new ArrayList<>();
            for (int r = 0; r < got.count(0); r++) {
                ids.add(index.rows().idAt(got.slot(0, r)));
            }
            for (int r = 0; r < want.count(0); r++) {
                if (ids.contains(exact.rows().idAt(want.slot(0, r)))) {
                    found++;
                }
            }
            expected += want.count(0);
        }
        final double recall = (double) found / expected;
        assertTrue(recall >= stated, "recall@" + K + " " + recall + " below " + stated);
    }

    /** Queues builds until the test runs them, on the test's thread; after {@link #runFromNowOn} runs them at once. */
    private static final class ManualExecutor implements Executor {

        private final List<Runnable> tasks = new ArrayList<>();
        private boolean immediate;

        @Override
        public void execute(final Runnable task) {
            tasks.add(task);
            if (immediate) {
                runAll();
            }
        }

        void runFromNowOn() {
            immediate = true;
            runAll();
        }

        int pending() {
            return tasks.size();
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }
}
