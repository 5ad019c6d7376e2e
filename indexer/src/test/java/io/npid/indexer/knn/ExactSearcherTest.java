package io.npid.indexer.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExactSearcherTest {

    private static final int DIM = 24;

    private static float[] unitRows(final int rows, final int dim, final long seed) {
        final Random random = new Random(seed);
        final float[] values = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                values[r * dim + d] = (float) random.nextGaussian();
                norm += values[r * dim + d] * values[r * dim + d];
            }
            for (int d = 0; d < dim; d++) {
                values[r * dim + d] /= (float) Math.sqrt(norm);
            }
        }
        return values;
    }

    private static FlatIndex index(final float[] rows, final int n, final int dim) {
        final FlatIndex index = new FlatIndex(dim, 8);
        for (int r = 0; r < n; r++) {
            index.put("r" + r, Arrays.copyOfRange(rows, r * dim, (r + 1) * dim));
            index.setClassName("r" + r, "class " + r % 5);
        }
        return index;
    }

    /** Brute force with the kernels' arithmetic (one fused multiply-add per dimension, in order), then a sort. */
    private static List<String> expectedTopK(
            final float[] rows, final int n, final float[] query, final int k, final boolean[] voting) {
        final float[] sims = new float[n];
        for (int r = 0; r < n; r++) {
            float s = 0f;
            for (int d = 0; d < query.length; d++) {
                s = Math.fma(query[d], rows[r * query.length + d], s);
            }
            sims[r] = s;
        }
        return IntStream.range(0, n)
                .filter(r -> voting[r])
                .boxed()
                .sorted(Comparator.comparingDouble((Integer r) -> -sims[r]).thenComparingInt(r -> r))
                .limit(k)
                .map(r -> "r" + r)
                .toList();
    }

    private static List<String> ids(final FlatIndex index, final TopKResults results, final int query) {
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < results.count(query); i++) {
            ids.add(index.idAt(results.slot(query, i)));
        }
        return ids;
    }

    private static void assumeAvailable(final KernelType type) {
        assumeTrue(
                type != KernelType.VECTOR || KernelType.vectorAvailable(),
                "the Vector API kernel needs --add-modules jdk.incubator.vector and AVX-512");
    }

    @ParameterizedTest
    @EnumSource(KernelType.class)
    void shouldMatchBruteForceForABatchLargerThanAChunk(final KernelType type) {
        assumeAvailable(type);
        final int n = 1001;
        final int queryCount = ExactSearcher.QUERY_CHUNK + 43;
        final float[] rows = unitRows(n, DIM, 1);
        final float[] queries = unitRows(queryCount, DIM, 2);
        final FlatIndex index = index(rows, n, DIM);
        final boolean[] voting = new boolean[n];
        Arrays.fill(voting, true);
        final ExactSearcher searcher = new ExactSearcher(100, type, 64);
        final TopKResults results = new TopKResults();

        searcher.search(index, queries, queryCount, 37, results);

        for (int q = 0; q < queryCount; q++) {
            final float[] query = Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM);
            assertEquals(expectedTopK(rows, n, query, 37, voting), ids(index, results, q), "query " + q);
            for (int i = 1; i < results.count(q); i++) {
                assertTrue(results.similarity(q, i - 1) >= results.similarity(q, i), "best first");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KernelType.class)
    void shouldScoreAQueryAloneExactlyAsInABatch(final KernelType type) {
        assumeAvailable(type);
        final int n = 700;
        final float[] rows = unitRows(n, DIM, 3);
        final float[] queries = unitRows(9, DIM, 4);
        final FlatIndex index = index(rows, n, DIM);
        final ExactSearcher searcher = new ExactSearcher(50, type, ExactSearcher.DEFAULT_BLOCK_ROWS);
        final TopKResults batch = new TopKResults();
        final TopKResults single = new TopKResults();
        searcher.search(index, queries, 9, 50, batch);

        for (int q = 0; q < 9; q++) {
            searcher.search(index, Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM), 1, 50, single);
            for (int i = 0; i < 50; i++) {
                assertEquals(batch.slot(q, i), single.slot(0, i));
                assertEquals(batch.similarity(q, i), single.similarity(0, i), "bit-identical similarity");
            }
        }
    }

    @Test
    void shouldGiveTheSameBitsWithEitherKernel() {
        assumeAvailable(KernelType.VECTOR);
        final int n = 500;
        final float[] rows = unitRows(n, 128, 5);
        final float[] queries = unitRows(6, 128, 6);
        final FlatIndex index = index(rows, n, 128);
        final TopKResults vector = new TopKResults();
        final TopKResults scalar = new TopKResults();
        new ExactSearcher(20, KernelType.VECTOR, 256).search(index, queries, 6, 20, vector);
        new ExactSearcher(20, KernelType.SCALAR, 256).search(index, queries, 6, 20, scalar);
        for (int q = 0; q < 6; q++) {
            for (int i = 0; i < 20; i++) {
                assertEquals(scalar.slot(q, i), vector.slot(q, i));
                assertEquals(scalar.similarity(q, i), vector.similarity(q, i));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KernelType.class)
    void shouldReturnOnlyLabelledRowsThatAreStillIndexed(final KernelType type) {
        assumeAvailable(type);
        final int n = 200;
        final float[] rows = unitRows(n, DIM, 7);
        final FlatIndex index = index(rows, n, DIM);
        final boolean[] voting = new boolean[n];
        for (int r = 0; r < n; r++) {
            voting[r] = r % 3 != 0;
            if (r % 3 == 0) {
                index.setClassName("r" + r, null);
            }
        }
        index.remove("r1");
        index.remove("r2");
        voting[1] = false;
        voting[2] = false;
        final float[] query = Arrays.copyOfRange(rows, 0, DIM);
        final TopKResults results = new TopKResults();

        new ExactSearcher(200, type, 64).search(index, query, 1, 200, results);

        final List<String> found = ids(index, results, 0);
        assertEquals(expectedTopK(rows, n, query, 200, voting), found);
        assertEquals(index.labelledCount(), results.count(0), "fewer labelled rows than k: all of them");
        assertFalse(found.contains("r0"), "an unlabelled row does not vote even when it is the query itself");
    }

    @Test
    void shouldFindNothingInAnEmptyIndex() {
        final TopKResults results = new TopKResults();
        new ExactSearcher(10).search(new FlatIndex(4, 0), new float[] {1, 0, 0, 0}, 1, 10, results);
        assertEquals(0, results.count(0));
    }

    @Test
    void shouldRefuseAKAboveItsMaximumOrTooFewQueryValues() {
        final ExactSearcher searcher = new ExactSearcher(10, KernelType.SCALAR, 64);
        final FlatIndex index = new FlatIndex(4, 0);
        final TopKResults results = new TopKResults();
        assertThrows(IllegalArgumentException.class, () -> searcher.search(index, new float[4], 1, 11, results));
        assertThrows(IllegalArgumentException.class, () -> searcher.search(index, new float[4], 2, 5, results));
    }

    @Test
    void shouldChooseTheVectorKernelWhenTheModuleIsResolved() {
        final String name = new ExactSearcher(5).kernelName();
        assertEquals(KernelType.vectorAvailable() ? "vector-512" : "scalar", name);
        assertArrayEquals(
                new String[] {"AUTO", "VECTOR", "SCALAR"},
                Arrays.stream(KernelType.values()).map(Enum::name).toArray(String[]::new));
    }
}
