package io.npid.indexer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.indexer.knn.FlatIndex;
import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.IndexSettings;
import io.npid.indexer.knn.KernelType;
import io.npid.indexer.knn.ShardSearcher;
import io.npid.indexer.knn.TopKResults;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeatureShardTest {

    private KeyValueStore<String, ShardRow> store;

    @BeforeEach
    void openStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("rows"), Serdes.String(), new ShardRowSerde())
                .withLoggingDisabled()
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @Test
    void shouldRebuildTheSameIndexFromItsStore() {
        final FeatureShard shard = new FeatureShard(store, 2, IndexSettings.of(IndexForm.EXACT));
        shard.apply(new ShardInput.Label("early", "5"));
        shard.apply(new ShardInput.Feature("a", new float[] {1, 0}, "bag", 3));
        shard.apply(new ShardInput.Feature("b", new float[] {0, 1}, null, 3));
        shard.apply(new ShardInput.Feature("c", new float[] {0.6f, 0.8f}, "coat", 3));
        shard.apply(new ShardInput.Removal("c"));

        final FeatureShard restored = new FeatureShard(store, 2, IndexSettings.of(IndexForm.EXACT));

        final FlatIndex index = restored.index().rows();
        assertEquals(2, index.size(), "a and b; c was removed; the early label has no vector yet");
        assertEquals(1, index.labelledCount());
        assertEquals("bag", index.classNameAt(index.slotOf("a")));
        assertNull(index.classNameAt(index.slotOf("b")));
        assertEquals(-1, index.slotOf("c"));
        assertEquals(1, index.classCount(), "coat left with c");
        assertEquals("5", store.get("early").className(), "the early label waits in the store");
    }

    @Test
    void shouldKeepAKnownLabelWhenAFeatureHasNone() {
        final FeatureShard shard = new FeatureShard(store, 2, IndexSettings.of(IndexForm.EXACT));
        shard.apply(new ShardInput.Label("x", "4"));
        shard.apply(new ShardInput.Feature("x", new float[] {1, 0}, null, 1));
        shard.apply(new ShardInput.Feature("x", new float[] {0, 1}, null, 2));
        assertEquals("4", shard.index().rows().classNameAt(shard.index().rows().slotOf("x")));
        assertEquals(2, store.get("x").modelVersion());

        shard.apply(new ShardInput.Feature("x", new float[] {0, 1}, "bag", 3));
        assertEquals(
                "bag",
                shard.index().rows().classNameAt(shard.index().rows().slotOf("x")),
                "a feature's own class wins");
    }

    @Test
    void shouldForgetALabelOnlyRowWhenItsLabelIsRemoved() {
        final FeatureShard shard = new FeatureShard(store, 2, IndexSettings.of(IndexForm.EXACT));
        shard.apply(new ShardInput.Label("x", "4"));
        shard.apply(new ShardInput.Label("x", null));
        assertNull(store.get("x"));
        shard.apply(new ShardInput.Label("never-seen", null));
        assertNull(store.get("never-seen"));
    }

    @Test
    void shouldReRankInt8CandidatesWithTheVectorsOfTheStore() {
        final FeatureShard shard = new FeatureShard(store, 2, IndexSettings.of(IndexForm.INT8));
        shard.apply(new ShardInput.Feature("a", new float[] {1, 0}, "bag", 1));
        shard.apply(new ShardInput.Feature("b", new float[] {0, 1}, "coat", 1));
        final FlatIndex rows = shard.index().rows();
        assertEquals(4L * FlatIndex.TILE_ROWS * 2, rows.vectorBytes(), "no float row on the heap, one zero tile");
        assertEquals(rows.heapBytes(), shard.index().heapBytes().get("rows"));

        // Behind the index's back: the codes still hold (1, 0), the store now (0.6, 0.8).
        store.put("a", new ShardRow(new float[] {0.6f, 0.8f}, "bag", 2));
        final TopKResults results = new TopKResults();
        new ShardSearcher(1, KernelType.AUTO).search(shard.index(), new float[] {1, 0}, 1, 1, results);
        assertEquals("a", shard.index().rows().idAt(results.slot(0, 0)), "chosen by its int8 codes");
        assertEquals(0.6f, results.similarity(0, 0), "scored with the vector read from the store");
    }

    @Test
    void shouldFindTheExactNeighboursWithInt8AfterUpdatesDeletesRelabelsAndARestore() {
        final int dim = 32;
        final int k = 200;
        final Random random = new Random(11);
        final IndexSettings settings = IndexSettings.of(IndexForm.INT8);
        final FeatureShard shard = new FeatureShard(store, dim, settings);
        for (int i = 0; i < 4_000; i++) {
            shard.apply(new ShardInput.Feature("img-" + i, clustered(random, dim), "c" + i % 10, 1));
        }
        for (int i = 0; i < 4_000; i += 3) {
            shard.apply(new ShardInput.Feature("img-" + i, clustered(random, dim), null, 2));
        }
        for (int i = 1; i < 4_000; i += 10) {
            shard.apply(new ShardInput.Removal("img-" + i));
        }
        for (int i = 2; i < 4_000; i += 25) {
            shard.apply(new ShardInput.Label("img-" + i, i % 50 == 2 ? null : "c3"));
        }
        assertRecallAgainstTheStore(shard, dim, k, random);

        final FeatureShard restored = new FeatureShard(store, dim, settings);
        assertEquals(shard.index().rows().size(), restored.index().rows().size());
        assertRecallAgainstTheStore(restored, dim, k, random);
    }

    /** Recall@k of the int8 search against a brute-force scan of the store's labelled rows, exact similarities. */
    private void assertRecallAgainstTheStore(
            final FeatureShard shard, final int dim, final int k, final Random random) {
        final List<Map.Entry<String, float[]>> labelled = new ArrayList<>();
        try (KeyValueIterator<String, ShardRow> rows = store.all()) {
            rows.forEachRemaining(row -> {
                if (row.value.hasVector() && row.value.hasLabel()) {
                    labelled.add(Map.entry(row.key, row.value.vector()));
                }
            });
        }
        final ShardSearcher searcher = new ShardSearcher(k, KernelType.AUTO);
        final TopKResults results = new TopKResults();
        int found = 0;
        final int queries = 20;
        for (int q = 0; q < queries; q++) {
            final float[] query = clustered(random, dim);
            searcher.search(shard.index(), query, 1, k, results);
            final List<Map.Entry<String, Float>> scored = new ArrayList<>();
            for (final Map.Entry<String, float[]> row : labelled) {
                scored.add(Map.entry(row.getKey(), similarity(query, row.getValue())));
            }
            scored.sort((a, b) -> Float.compare(b.getValue(), a.getValue()));
            final Set<String> reference = new HashSet<>();
            for (int i = 0; i < k; i++) {
                reference.add(scored.get(i).getKey());
            }
            assertEquals(k, results.count(0));
            for (int r = 0; r < k; r++) {
                final String id = shard.index().rows().idAt(results.slot(0, r));
                assertEquals(similarity(query, store.get(id).vector()), results.similarity(0, r), id);
                found += reference.contains(id) ? 1 : 0;
            }
        }
        final double recall = (double) found / (queries * k);
        assertTrue(recall >= 0.999, "int8 recall@" + k + " " + recall);
    }

    private static float[] clustered(final Random random, final int dim) {
        final Random centre = new Random(100 + random.nextInt(40));
        final float[] v = new float[dim];
        double norm = 0;
        for (int d = 0; d < dim; d++) {
            v[d] = (float) (centre.nextGaussian() + 0.6 * random.nextGaussian());
            norm += v[d] * v[d];
        }
        for (int d = 0; d < dim; d++) {
            v[d] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static float similarity(final float[] a, final float[] b) {
        float s = 0f;
        for (int d = 0; d < a.length; d++) {
            s = Math.fma(a[d], b[d], s);
        }
        return s;
    }
}
