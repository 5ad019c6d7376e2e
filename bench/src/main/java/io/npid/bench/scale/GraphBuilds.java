package io.npid.bench.scale;

import java.time.Duration;

/**
 * The indexer's background HNSW graph builds in this JVM, seen through their threads: {@link ScaleIndexerRun} waits
 * until none runs before it measures queries or the heap, so that HNSW figures are those of the graph the indexer
 * serves from, not of a core shared with builds (a build is CPU-bound for minutes at a million rows), and a closed
 * indexer's build still holding its rows does not count as the heap the next one frees.
 *
 * <p>The indexer runs a build on a thread named {@code npid-hnsw-build-N}, and its workers (more than one build
 * thread) on {@code npid-hnsw-worker-N} ({@code io.npid.indexer.knn.HnswRows}); such a thread that is RUNNABLE is
 * building. Exact and int8 indexes start none, so for them the wait ends at once.
 */
final class GraphBuilds {

    /** Name prefix of the indexer's graph build threads. */
    static final String THREAD_PREFIX = "npid-hnsw-";

    private static final long POLL_MILLIS = 250;

    private GraphBuilds() {}

    /** Threads of the indexer's graph builds, running or idle (an idle pool thread lingers a minute). */
    static int threads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(THREAD_PREFIX))
                .count();
    }

    /** Build threads that are running now. */
    static int running() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(THREAD_PREFIX) && t.getState() == Thread.State.RUNNABLE)
                .count();
    }

    /**
     * Waits until no graph build runs: two polls in a row, a quarter second apart, see none.
     *
     * @param max the longest wait
     * @return seconds waited
     * @throws InterruptedException when interrupted
     * @throws IllegalStateException when builds still run after {@code max}
     */
    static double awaitIdle(final Duration max) throws InterruptedException {
        final long start = System.nanoTime();
        final long deadline = start + max.toNanos();
        int idlePolls = 0;
        while (idlePolls < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("HNSW graph builds still run after " + max);
            }
            idlePolls = running() == 0 ? idlePolls + 1 : 0;
            if (idlePolls < 2) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
