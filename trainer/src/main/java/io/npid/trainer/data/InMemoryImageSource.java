package io.npid.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@link ImageSource} over a list held in memory (offline training, tests, benchmarks); row i is the i-th image.
 */
public final class InMemoryImageSource implements ImageSource {
    private final List<DecodedImage> images;

    /**
     * Creates a source over a copy of the list.
     *
     * @param images the images; row i is images.get(i)
     */
    public InMemoryImageSource(final List<DecodedImage> images) {
        this.images = new ArrayList<>(images);
    }

    /**
     * Appends images (rows size() .. size() + n - 1).
     *
     * @param more images to add
     */
    public synchronized void add(final List<DecodedImage> more) {
        images.addAll(more);
    }

    /** @return the number of images */
    public synchronized int size() {
        return images.size();
    }

    @Override
    public synchronized List<DecodedImage> images(final int[] rows) {
        final List<DecodedImage> out = new ArrayList<>(rows.length);
        for (final int row : rows) {
            out.add(images.get(row));
        }
        return out;
    }
}
