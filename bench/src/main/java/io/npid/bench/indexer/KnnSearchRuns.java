package io.npid.bench.indexer;

import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.ShardIndex;
import io.npid.indexer.knn.ShardSearcher;
import io.npid.indexer.knn.TopKResults;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The searches {@link KnnBenchmark} times: the warm-up, and all queries in batches or one at a time, over threads. */
final class KnnSearchRuns {

    private KnnSearchRuns() {}

    static void warmUp(final ShardIndex index, final float[] queries, final KnnBenchmark.Options options) {
        // Enough calls for C2 to compile the kernels (single and batched) before anything is timed.
        final ShardSearcher searcher = new ShardSearcher(options.k(), options.kernel());
        final TopKResults results = new TopKResults();
        final float[] query = new float[options.dim()];
        for (int i = 0; i < 200; i++) {
            System.arraycopy(queries, (i % options.queries()) * options.dim(), query, 0, options.dim());
            searcher.search(index, query, 1, options.k(), results);
        }
        searcher.search(
                index,
                queries,
                Math.min(options.queries(), index.activeForm() == IndexForm.EXACT ? 1024 : 200),
                options.k(),
                results);
    }

    /** Searches all batch queries (split over the threads) or the single queries one call each. */
    static void searchAll(
            final ShardIndex index,
            final float[] queries,
            final KnnBenchmark.Options options,
            final boolean oneAtATime) {
        final int total = oneAtATime ? Math.min(options.singleQueries(), options.queries()) : options.queries();
        final int threads = options.threads();
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            final List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int from = (int) ((long) total * t / threads);
                final int to = (int) ((long) total * (t + 1) / threads);
                parts.add(pool.submit(() -> searchRange(index, queries, from, to, options, oneAtATime)));
            }
            for (final Future<?> part : parts) {
                part.get();
            }
        } catch (final Exception e) {
            throw new IllegalStateException("Search thread failed", e);
        } finally {
            pool.shutdown();
        }
    }

    private static void searchRange(
            final ShardIndex index,
            final float[] queries,
            final int from,
            final int to,
            final KnnBenchmark.Options options,
            final boolean oneAtATime) {
        final int dim = options.dim();
        final ShardSearcher searcher = new ShardSearcher(options.k(), options.kernel());
        final TopKResults results = new TopKResults();
        if (oneAtATime) {
            final float[] query = new float[dim];
            for (int q = from; q < to; q++) {
                System.arraycopy(queries, q * dim, query, 0, dim);
                searcher.search(index, query, 1, options.k(), results);
            }
        } else {
            final float[] slice = java.util.Arrays.copyOfRange(queries, from * dim, to * dim);
            searcher.search(index, slice, to - from, options.k(), results);
        }
    }
}
