package io.npid.trainer.data;

import io.npid.store.FeatureStore;
import io.npid.store.StoredImage;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link ImageSource} backed by the feature store: bank row i is the store's row i (the only class of this
 * module's core that knows the store).
 */
public final class FeatureStoreImageSource implements ImageSource {
    private final FeatureStore store;

    /**
     * Creates the adapter.
     *
     * @param store an open store (RocksDB reads are safe concurrently with the ingest thread's writes)
     */
    public FeatureStoreImageSource(final FeatureStore store) {
        this.store = store;
    }

    @Override
    public List<DecodedImage> images(final int[] rows) {
        final List<StoredImage> stored = store.readImages(rows);
        final List<DecodedImage> out = new ArrayList<>(stored.size());
        for (final StoredImage image : stored) {
            out.add(new DecodedImage(image.width(), image.height(), image.channels(), image.pixels()));
        }
        return out;
    }
}
