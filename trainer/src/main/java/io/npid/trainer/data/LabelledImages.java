package io.npid.trainer.data;

import java.util.List;

/**
 * A data set held in memory: decoded images with their integer labels and the class names.
 *
 * @param images the images, in data set order
 * @param labels one label per image, 0-based index into classNames
 * @param classNames the class names
 */
public record LabelledImages(List<DecodedImage> images, int[] labels, String[] classNames) {

    /** Checks that images and labels line up. */
    public LabelledImages {
        images = List.copyOf(images);
        if (labels.length != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
        }
        for (final int label : labels) {
            if (label < 0 || label >= classNames.length) {
                throw new IllegalArgumentException("label " + label + " outside 0.." + (classNames.length - 1));
            }
        }
    }

    /**
     * Returns the number of images.
     *
     * @return the size
     */
    public int size() {
        return images.size();
    }

    /**
     * Returns the first {@code n} images (all of them when n is larger).
     *
     * @param n how many to keep
     * @return the prefix
     */
    public LabelledImages head(final int n) {
        final int m = Math.min(n, size());
        return new LabelledImages(images.subList(0, m), java.util.Arrays.copyOf(labels, m), classNames);
    }
}
