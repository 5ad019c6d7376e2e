package io.npid.indexer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.npid.indexer.knn.FlatIndex;
import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.IndexSettings;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
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
}
