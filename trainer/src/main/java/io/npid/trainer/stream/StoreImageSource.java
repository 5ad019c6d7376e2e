package io.npid.trainer.stream;

import io.npid.store.FeatureStore;
import io.npid.store.StoredImage;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads training images by bank row from the feature store, for the batch loader's background thread.
 *
 * <p>The store's reads are thread-safe and run concurrently with the training thread's ingests; a row is handed to
 * the scheduler only after its ingest batch committed, so every requested row exists.
 */
final class StoreImageSource implements ImageSource {
    private final FeatureStore store;

    StoreImageSource(final FeatureStore store) {
        this.store = store;
    }

    @Override
    public List<DecodedImage> images(final int[] rows) {
        final List<StoredImage> stored = store.readImages(rows);
        final List<DecodedImage> images = new ArrayList<>(stored.size());
        for (final StoredImage image : stored) {
            images.add(new DecodedImage(image.width(), image.height(), image.channels(), image.pixels()));
        }
        return images;
    }
}
