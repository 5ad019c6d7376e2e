package io.npid.bench.scale;

import io.npid.indexer.knn.ShardIndex;
import java.time.Duration;

/**
 * The indexer's background HNSW graph builds in this JVM ({@link ShardIndex#graphBuildsInFlight()}):
 * {@link ScaleIndexerRun} waits until none is in flight before it measures queries or the heap, so that HNSW figures
 * are those of the graph the indexer serves from, not of a core shared with builds (a build is CPU-bound for minutes
 * at a million rows), and a closed indexer's build still holding its rows does not count as the heap the next one
 * frees. Exact and int8 indexes start none, so for them the wait ends at once.
 */
final class GraphBuilds {

    private static final long POLL_MILLIS = 250;

    private GraphBuilds() {}

    /**
     * Waits until no graph build is in flight: two polls in a row, a quarter second apart, see none (a shard's timer
     * starts the next build a moment after the last is taken in).
     *
     * @param max the longest wait
     * @return seconds waited
     * @throws InterruptedException when interrupted
     * @throws IllegalStateException when builds are still in flight after {@code max}
     */
    static double awaitIdle(final Duration max) throws InterruptedException {
        final long start = System.nanoTime();
        final long deadline = start + max.toNanos();
        int idlePolls = 0;
        while (idlePolls < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        ShardIndex.graphBuildsInFlight() + " HNSW graph builds still in flight after " + max);
            }
            idlePolls = ShardIndex.graphBuildsInFlight() == 0 ? idlePolls + 1 : 0;
            if (idlePolls < 2) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
