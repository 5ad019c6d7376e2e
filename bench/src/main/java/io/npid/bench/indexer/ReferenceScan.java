package io.npid.bench.indexer;

import io.npid.indexer.knn.ShardIndex;
import io.npid.indexer.knn.ShardSearcher;
import io.npid.indexer.knn.TopKResults;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The simplest exact top-k, independent of the engine's kernels and heaps, to measure the engine's recall.
 *
 * <p>It scores every row with the same float arithmetic as the kernels (a fused multiply-add per dimension, in
 * dimension order), then sorts all rows; so an exact engine matches it id for id, ties aside.
 */
final class ReferenceScan {

    private static double lastMinRecall = 1.0;

    private ReferenceScan() {}

    /**
     * The lowest recall of one query in the last {@link #recall} call.
     *
     * @return the worst query's recall
     */
    static double minRecall() {
        return lastMinRecall;
    }

    /**
     * Mean fraction of the reference top-k that the engine returns, over the first queries.
     *
     * @param index the engine's index (row r is id {@code img-r})
     * @param data the same vectors, row-major
     * @param queries row-major queries
     * @param options k, dim, kernel and how many queries to check
     * @return recall at k, 1.0 for an exact engine
     */
    static double recall(
            final ShardIndex index, final float[] data, final float[] queries, final KnnBenchmark.Options options) {
        final int dim = options.dim();
        final int k = options.k();
        final int n = options.n();
        final int count = Math.min(options.recallQueries(), options.queries());
        final ShardSearcher searcher = new ShardSearcher(k, options.kernel());
        final TopKResults results = new TopKResults();
        searcher.search(index, queries, count, k, results);
        final long[] keys = new long[n];
        double recallSum = 0;
        lastMinRecall = 1.0;
        for (int q = 0; q < count; q++) {
            for (int row = 0; row < n; row++) {
                float s = 0f;
                for (int d = 0; d < dim; d++) {
                    s = Math.fma(queries[q * dim + d], data[row * dim + d], s);
                }
                keys[row] = sortKey(s, row);
            }
            Arrays.sort(keys);
            final Set<String> expected = new HashSet<>();
            for (int i = 0; i < Math.min(k, n); i++) {
                expected.add("img-" + (int) (keys[i] & 0xFFFFFFFFL));
            }
            int found = 0;
            for (int i = 0; i < results.count(q); i++) {
                if (expected.contains(index.rows().idAt(results.slot(q, i)))) {
                    found++;
                }
            }
            recallSum += (double) found / expected.size();
            lastMinRecall = Math.min(lastMinRecall, (double) found / expected.size());
        }
        return count == 0 ? 1.0 : recallSum / count;
    }

    /** A long that sorts ascending as (similarity descending, row ascending). */
    private static long sortKey(final float similarity, final int row) {
        int bits = Float.floatToIntBits(similarity);
        // Map float order onto signed int order, then negate so the most similar sorts first.
        bits = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
        final long descending = -(long) bits;
        return (descending << 32) | row;
    }
}
