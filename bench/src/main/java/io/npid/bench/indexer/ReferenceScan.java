package io.npid.bench.indexer;

import io.npid.indexer.knn.ShardIndex;
import io.npid.indexer.knn.ShardSearcher;
import io.npid.indexer.knn.TopKResults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The simplest exact top-k, independent of the engine's kernels and heaps, to measure the engine's recall.
 *
 * <p>It scores every row with the same float arithmetic as the kernels (a fused multiply-add per dimension, in
 * dimension order), then sorts all rows; so an exact engine matches it id for id, ties aside.
 */
final class ReferenceScan {

    private ReferenceScan() {}

    /**
     * The reference top-k ids of the first queries: scored once, then compared with any number of searches.
     *
     * @param data the index's vectors, row-major (row r is id {@code img-r})
     * @param queries row-major queries
     * @param options k, dim, n and how many queries to check
     * @return per query, the ids of its exact top k
     */
    static List<Set<String>> expected(final float[] data, final float[] queries, final KnnBenchmark.Options options) {
        final int dim = options.dim();
        final int k = options.k();
        final int n = options.n();
        final int count = Math.min(options.recallQueries(), options.queries());
        final long[] keys = new long[n];
        final List<Set<String>> expected = new ArrayList<>();
        for (int q = 0; q < count; q++) {
            for (int row = 0; row < n; row++) {
                float s = 0f;
                for (int d = 0; d < dim; d++) {
                    s = Math.fma(queries[q * dim + d], data[row * dim + d], s);
                }
                keys[row] = sortKey(s, row);
            }
            Arrays.sort(keys);
            final Set<String> ids = new HashSet<>();
            for (int i = 0; i < Math.min(k, n); i++) {
                ids.add("img-" + (int) (keys[i] & 0xFFFFFFFFL));
            }
            expected.add(ids);
        }
        return expected;
    }

    /**
     * Recall of the engine against the reference: the mean fraction of each query's reference top-k it returns,
     * and the worst query's.
     *
     * @param index the engine's index
     * @param expected the reference ids, from {@link #expected}
     * @param queries row-major queries
     * @param options k and the kernel
     * @return {mean recall at k, worst query's recall}; 1.0 for an exact engine
     */
    static double[] recall(
            final ShardIndex index,
            final List<Set<String>> expected,
            final float[] queries,
            final KnnBenchmark.Options options) {
        final int count = expected.size();
        final ShardSearcher searcher = new ShardSearcher(options.k(), options.kernel());
        final TopKResults results = new TopKResults();
        searcher.search(index, queries, count, options.k(), results);
        double recallSum = 0;
        double minRecall = 1.0;
        for (int q = 0; q < count; q++) {
            int found = 0;
            for (int i = 0; i < results.count(q); i++) {
                if (expected.get(q).contains(index.rows().idAt(results.slot(q, i)))) {
                    found++;
                }
            }
            final double recall = (double) found / expected.get(q).size();
            recallSum += recall;
            minRecall = Math.min(minRecall, recall);
        }
        return new double[] {count == 0 ? 1.0 : recallSum / count, minRecall};
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
