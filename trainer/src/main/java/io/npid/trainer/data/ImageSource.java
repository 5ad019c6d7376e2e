package io.npid.trainer.data;

import java.util.List;

/**
 * Where the batch loader reads images from, by bank row: an in-memory list or the feature store.
 *
 * <p>Called from the loader's background thread while the owner may be adding images, so implementations must be
 * safe for one reader concurrent with writers.
 */
public interface ImageSource {

    /**
     * Returns the images of the given rows, in order.
     *
     * @param rows bank rows, each below the number of stored images
     * @return one image per row
     */
    List<DecodedImage> images(int[] rows);
}
