package io.npid.indexer.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.TestEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every index form against a brute-force reference on seeded data, before and after updates, relabels and
 * deletes: exact finds exactly the reference's neighbours, int8 at least 0.999 of them, HNSW at least 0.99, and
 * every similarity returned is the exact float similarity of the row returned. The int8 form re-ranks with the
 * vectors of the test's own map, standing in for the shard's store.
 */
class ShardIndexTest {

    private static final int DIM = 32;
    private static final int ROWS = 6_000;
    private static final int K = 50;
    private static final int QUERIES = 60;

    private final Random random = new Random(7);
    private final Map<String, float[]> vectors = new HashMap<>();
    private final Map<String, String> classes = new HashMap<>();

    @ParameterizedTest
    @EnumSource(
            value = IndexForm.class,
            names = {"EXACT", "INT8", "HNSW"})
    void shouldFindTheReferenceNeighboursAfterUpdatesAndDeletes(final IndexForm form) {
        // Graph builds run on this thread when they start, so every run sees the same graph.
        final ShardIndex index =
                new ShardIndex(DIM, 16, IndexSettings.of(form).withEfSearch(200), vectors::get, Runnable::run);
        for (int i = 0; i < ROWS; i++) {
            put(index, "img-" + i, clustered(), "c" + i % 10);
        }
        assertRecall(index, form);

        // A third of the rows get new vectors, a tenth leave, some lose their label, and new ones arrive.
        for (int i = 0; i < ROWS; i += 3) {
            put(index, "img-" + i, clustered(), classes.get("img-" + i));
        }
        for (int i = 1; i < ROWS; i += 10) {
            index.remove("img-" + i);
            vectors.remove("img-" + i);
            classes.remove("img-" + i);
        }
        for (int i = 2; i < ROWS; i += 50) {
            index.setClassName("img-" + i, null);
            classes.remove("img-" + i);
        }
        for (int i = ROWS; i < ROWS + 500; i++) {
            put(index, "img-" + i, clustered(), "c" + i % 10);
        }
        assertEquals(vectors.size(), index.rows().size());
        assertRecall(index, form);
    }

    @Test
    void shouldRebuildTheGraphWhenGarbageGrowsAndKeepItsRecall() {
        final ShardIndex index =
                new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.HNSW).withEfSearch(200), null, Runnable::run);
        for (int i = 0; i < 3_000; i++) {
            put(index, "img-" + i, clustered(), "c" + i % 10);
        }
        // Every row updated once: three thousand garbage nodes, more than a quarter, so at least one rebuild.
        for (int i = 0; i < 3_000; i++) {
            put(index, "img-" + i, clustered(), "c" + i % 10);
        }
        index.awaitSearchStructure();
        // The first graph, then at least one rebuild that dropped garbage.
        assertTrue(index.hnsw().builds() >= 2, "builds: " + index.hnsw().builds());
        assertEquals(0, index.hnsw().tailNodes());
        assertTrue(index.hnsw().garbageNodes()
                <= HnswRows.GARBAGE_FRACTION
                                * (index.hnsw().liveNodes() + index.hnsw().garbageNodes())
                        + 1);
        assertEquals(3_000, index.hnsw().liveNodes());
        assertRecall(index, IndexForm.HNSW);
    }

    @Test
    void shouldBuildWithSeveralWorkerThreadsAndKeepItsRecall() {
        final IndexSettings settings =
                IndexSettings.of(IndexForm.HNSW).withEfSearch(200).withBuildThreads(2);
        final ShardIndex index = new ShardIndex(DIM, 16, settings, null, Runnable::run);
        index.beginLoad();
        for (int i = 0; i < ROWS; i++) {
            put(index, "img-" + i, clustered(), "c" + i % 10);
        }
        index.endLoad();
        index.awaitSearchStructure();
        assertEquals(1, index.hnsw().builds());
        assertEquals(0, index.hnsw().tailNodes());
        assertRecall(index, IndexForm.HNSW);
        // Rows after the build go into its graph one by one.
        for (int i = ROWS; i < ROWS + 100; i++) {
            put(index, "img-" + i, clustered(), "c" + i % 10);
        }
        assertEquals(0, index.hnsw().tailNodes());
        assertRecall(index, IndexForm.HNSW);
    }

    @Test
    void shouldFindTheSameInt8NeighboursWithTheScalarAndTheVectorKernel() {
        final ShardIndex index = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.INT8), vectors::get);
        for (int i = 0; i < 2_000; i++) {
            put(index, "img-" + i, clustered(), "c" + i % 10);
        }
        final TopKResults scalar = new TopKResults();
        final TopKResults auto = new TopKResults();
        for (int q = 0; q < 10; q++) {
            final float[] query = clustered();
            new ShardSearcher(K, KernelType.SCALAR).search(index, query, 1, K, scalar);
            new ShardSearcher(K, KernelType.AUTO).search(index, query, 1, K, auto);
            for (int r = 0; r < K; r++) {
                assertEquals(scalar.slot(0, r), auto.slot(0, r));
                assertEquals(scalar.similarity(0, r), auto.similarity(0, r));
            }
        }
    }

    @Test
    void shouldHoldNoFloatRowsInTheInt8FormAndReRankFromItsSource() {
        final AtomicInteger reads = new AtomicInteger();
        final ShardIndex int8 = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.INT8), id -> {
            reads.incrementAndGet();
            return vectors.get(id);
        });
        final ShardIndex exact = new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.EXACT));
        for (int i = 0; i < 2_000; i++) {
            final float[] vector = clustered();
            put(int8, "img-" + i, vector, "c" + i % 10);
            exact.put("img-" + i, vector);
            exact.setClassName("img-" + i, "c" + i % 10);
        }
        assertEquals(0, reads.get(), "writes never read the source");
        assertFalse(int8.rows().storesVectors());
        final long capacity = int8.rows().capacity();
        assertEquals(capacity, exact.rows().capacity());
        final Map<String, Long> bytes = int8.heapBytes();
        assertEquals(4L * capacity * DIM, exact.rows().vectorBytes());
        assertEquals(4L * FlatIndex.TILE_ROWS * DIM, int8.rows().vectorBytes(), "one zero tile, no float rows");
        assertEquals(
                exact.heapBytes().get("rows")
                        - exact.rows().vectorBytes()
                        + int8.rows().vectorBytes(),
                bytes.get("rows"),
                "the same ids and classes");
        long idBytes = 0;
        for (int i = 0; i < 2_000; i++) {
            idBytes += ("img-" + i).length();
        }
        // Class code 4, slot offset 4 (capacity 2,048 for 2,000 rows), length byte 1, hash 4-8 B, arena spare.
        final long perRow = (bytes.get("rows") - int8.rows().vectorBytes() - idBytes) / 2_000;
        assertTrue(perRow <= 24, "a row costs its id's bytes and " + perRow + " more (a HashMap of Strings: ~116)");
        assertEquals(capacity * DIM + 4L * capacity, bytes.get("int8"), "one byte per value and a scale per row");
        assertEquals(bytes.get("rows") + bytes.get("int8"), bytes.get("total"));

        new ShardSearcher(K, KernelType.AUTO).search(int8, clustered(), 1, K, new TopKResults());
        assertEquals(
                K * IndexSettings.of(IndexForm.INT8).int8Rerank(),
                reads.get(),
                "one source read per re-rank candidate");
    }

    @Test
    void shouldRefuseAnInt8IndexWithoutAVectorSource() {
        assertThrows(IllegalArgumentException.class, () -> new ShardIndex(DIM, 16, IndexSettings.of(IndexForm.INT8)));
    }

    @Test
    void shouldSwitchAutoToTheGraphAtTheRowThreshold() {
        final IndexSettings auto = new IndexSettings(IndexForm.AUTO, 1_000, 4, 16, 100, 200, 1);
        final ShardIndex index = new ShardIndex(DIM, 16, auto, null, Runnable::run);
        for (int i = 0; i < 999; i++) {
            put(index, "img-" + i, clustered(), "c" + i % 10);
        }
        assertEquals(IndexForm.EXACT, index.activeForm());
        put(index, "img-999", clustered(), "c9");
        assertEquals(IndexForm.HNSW, index.activeForm());
        assertEquals(1_000, index.hnsw().liveNodes());
        assertEquals(0, index.hnsw().tailNodes());
        assertRecall(index, IndexForm.HNSW);
    }

    @Test
    void shouldKeepAutoExactWhenItsGraphFindsTooFewTrueNeighbours() {
        // A degenerate graph (2 links per node) over directions with no structure: its sample recall is poor.
        final IndexSettings auto = new IndexSettings(IndexForm.AUTO, 1_000, 4, 2, 2, 200, 1);
        final ShardIndex index = new ShardIndex(DIM, 16, auto, null, Runnable::run);
        for (int i = 0; i < 1_000; i++) {
            put(index, "img-" + i, uniform(), "c" + i % 10);
        }
        assertTrue(index.graphSampleRecall() < ShardIndex.MIN_AUTO_RECALL, "recall " + index.graphSampleRecall());
        assertEquals(IndexForm.EXACT, index.activeForm(), "a poor graph never answers");
        put(index, "img-1000", uniform(), "c0");
        assertNull(index.hnsw(), "the next change drops it for good");
        assertTrue(Double.isNaN(index.graphSampleRecall()));
        for (int i = 1_001; i < 2_100; i++) {
            put(index, "img-" + i, uniform(), "c" + i % 10);
        }
        assertNull(index.hnsw(), "and no graph is built again");
        assertEquals(IndexForm.EXACT, index.activeForm());
        assertRecall(index, IndexForm.EXACT);
    }

    @Test
    void shouldMeasureAGoodSampleRecallOnClusteredRows() {
        final IndexSettings auto = new IndexSettings(IndexForm.AUTO, 1_000, 4, 16, 100, 200, 1);
        final ShardIndex index = new ShardIndex(DIM, 16, auto, null, Runnable::run);
        for (int i = 0; i < 1_000; i++) {
            put(index, "img-" + i, clustered(), "c" + i % 10);
        }
        assertTrue(index.graphSampleRecall() >= ShardIndex.MIN_AUTO_RECALL, "recall " + index.graphSampleRecall());
        assertEquals(IndexForm.HNSW, index.activeForm());
    }

    private float[] uniform() {
        return TestEvents.unitVector(random, DIM);
    }

    private void put(final ShardIndex index, final String id, final float[] vector, final String className) {
        index.put(id, vector);
        index.setClassName(id, className);
        vectors.put(id, vector);
        if (className != null) {
            classes.put(id, className);
        }
    }

    /** Unit vectors around 40 centres, like trained features, rather than uniform on the sphere. */
    private float[] clustered() {
        final Random centres = new Random(1_000 + random.nextInt(40));
        final float[] v = new float[DIM];
        double norm = 0;
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) (centres.nextGaussian() + 0.6 * random.nextGaussian());
            norm += v[d] * v[d];
        }
        for (int d = 0; d < DIM; d++) {
            v[d] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private void assertRecall(final ShardIndex index, final IndexForm form) {
        final ShardSearcher searcher = new ShardSearcher(1000, KernelType.AUTO);
        final TopKResults results = new TopKResults();
        int found = 0;
        int expected = 0;
        for (int q = 0; q < QUERIES; q++) {
            final float[] query = clustered();
            searcher.search(index, query, 1, K, results);
            final Set<String> reference = reference(query);
            assertEquals(K, results.count(0));
            for (int r = 0; r < results.count(0); r++) {
                final int slot = results.slot(0, r);
                final String id = index.rows().idAt(slot);
                assertEquals(
                        similarity(query, vectors.get(id)),
                        results.similarity(0, r),
                        1e-6f,
                        "the exact similarity of " + id);
                assertTrue(classes.containsKey(id), id + " has no label and must not be returned");
                if (r > 0) {
                    assertTrue(results.similarity(0, r) <= results.similarity(0, r - 1), "descending");
                }
                if (reference.contains(id)) {
                    found++;
                }
            }
            expected += K;
        }
        final double recall = (double) found / expected;
        final double stated = form == IndexForm.EXACT ? 1.0 : form == IndexForm.INT8 ? 0.999 : 0.99;
        assertTrue(recall >= stated, form + " recall@" + K + " " + recall + " below " + stated);
    }

    private Set<String> reference(final float[] query) {
        final List<Map.Entry<String, Float>> scored = new ArrayList<>();
        for (final String id : classes.keySet()) {
            scored.add(Map.entry(id, similarity(query, vectors.get(id))));
        }
        scored.sort((a, b) -> Float.compare(b.getValue(), a.getValue()));
        final Set<String> top = new HashSet<>();
        for (int i = 0; i < K; i++) {
            top.add(scored.get(i).getKey());
        }
        return top;
    }

    private static float similarity(final float[] a, final float[] b) {
        float s = 0f;
        for (int d = 0; d < a.length; d++) {
            s = Math.fma(a[d], b[d], s);
        }
        return s;
    }
}
