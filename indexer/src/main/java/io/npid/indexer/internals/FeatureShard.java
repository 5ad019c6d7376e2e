package io.npid.indexer.internals;

import io.npid.indexer.knn.IndexSettings;
import io.npid.indexer.knn.ShardIndex;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One partition's features: the persistent, changelogged store (the source of truth, restored on another instance
 * after a rebalance) and the dense in-memory index built from it, kept in step on every update. The int8 index
 * keeps no float vectors: it reads its re-rank candidates' vectors from this store, the one float copy.
 *
 * <p>Labels may come before or after their feature: a label for an unknown id is stored alone and joins the index
 * with the feature. Owned by one stream thread.
 */
public final class FeatureShard {

    private final KeyValueStore<String, ShardRow> store;
    private final ShardIndex index;

    /**
     * Wraps a store and rebuilds the index from it.
     *
     * @param store the shard store, already restored
     * @param dimension values per vector
     * @param settings how the index searches (exact, int8, HNSW)
     */
    public FeatureShard(
            final KeyValueStore<String, ShardRow> store, final int dimension, final IndexSettings settings) {
        this.store = store;
        final long rows = store.approximateNumEntries();
        this.index =
                new ShardIndex(dimension, (int) Math.min(Math.max(rows, 0), 1 << 20), settings, this::storedVector);
        rebuild();
    }

    /** Releases the index when the shard leaves this instance: a graph build in flight stops. */
    public void close() {
        index.close();
    }

    /** Reloads the index from the store: what a restored or migrated shard does before serving queries. */
    public void rebuild() {
        index.clear();
        // One graph build, in the background, after the last row: not one insert per row on the stream thread.
        index.beginLoad();
        try (KeyValueIterator<String, ShardRow> rows = store.all()) {
            while (rows.hasNext()) {
                final KeyValue<String, ShardRow> row = rows.next();
                if (row.value.hasVector()
                        && row.value.vector().length == index.rows().dimension()) {
                    index.put(row.key, row.value.vector());
                    index.setClassName(row.key, row.value.className());
                }
            }
        }
        index.endLoad();
    }

    /**
     * Applies a feature: the store keeps it (and the known class if the feature has none), the index updates the
     * image's slot in place.
     *
     * @param feature the feature
     */
    public void apply(final ShardInput.Feature feature) {
        final ShardRow previous = store.get(feature.id());
        final String className =
                feature.className() != null ? feature.className() : previous != null ? previous.className() : null;
        store.put(feature.id(), new ShardRow(feature.vector(), className, feature.modelVersion()));
        index.put(feature.id(), feature.vector());
        index.setClassName(feature.id(), className);
    }

    /**
     * Applies a features tombstone: the image, its vector and its label leave the shard, freeing its slot.
     *
     * @param removal the removal
     */
    public void apply(final ShardInput.Removal removal) {
        store.delete(removal.id());
        index.remove(removal.id());
    }

    /**
     * Applies a label or a label's removal, before or after the feature.
     *
     * @param label the label
     */
    public void apply(final ShardInput.Label label) {
        final ShardRow previous = store.get(label.id());
        if (previous == null) {
            if (label.className() != null) {
                store.put(label.id(), ShardRow.labelOnly(label.className()));
            }
            return;
        }
        if (!previous.hasVector() && label.className() == null) {
            store.delete(label.id());
            return;
        }
        store.put(label.id(), previous.withClassName(label.className()));
        index.setClassName(label.id(), label.className());
    }

    /** The stored vector of an id, for the int8 index's re-rank: the store is updated before the index. */
    private float[] storedVector(final String id) {
        final ShardRow row = store.get(id);
        return row == null ? null : row.vector();
    }

    /**
     * The in-memory index, for searches.
     *
     * @return the index
     */
    public ShardIndex index() {
        return index;
    }
}
