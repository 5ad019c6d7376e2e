package io.npid.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded image as the store keeps it: raw 8-bit pixels in row-major HWC order.
 *
 * <p>The pixel array is not copied: do not change it after handing it to the store.
 *
 * @param id the image id (the Kafka key of its ImageEvent), not empty
 * @param pixels width * height * channels unsigned bytes, row-major, channels last
 * @param width width in pixels, at least 1
 * @param height height in pixels, at least 1
 * @param channels 1 (grey) or 3 (RGB); any count of at least 1 is stored as given
 * @param ingestTimeMs wall-clock time the trainer accepted the image, epoch milliseconds
 */
public record StoredImage(String id, byte[] pixels, int width, int height, int channels, long ingestTimeMs) {
    /**
     * Validates the image.
     *
     * @throws IllegalArgumentException if the id is empty, a size is not positive or the pixel count does not match
     */
    public StoredImage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pixels, "pixels");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("Image id must not be empty");
        }
        if (width < 1 || height < 1 || channels < 1) {
            throw new IllegalArgumentException("Image '" + id + "' has bad dimensions " + width + "x" + height + "x"
                    + channels + ": width, height and channels must be at least 1");
        }
        final long expected = (long) width * height * channels;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("Image '" + id + "' has " + pixels.length + " pixel bytes, expected "
                    + width + "x" + height + "x" + channels + " = " + expected);
        }
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof StoredImage other
                && id.equals(other.id)
                && width == other.width
                && height == other.height
                && channels == other.channels
                && ingestTimeMs == other.ingestTimeMs
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, width, height, channels, ingestTimeMs) * 31 + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "StoredImage[id=" + id + ", " + width + "x" + height + "x" + channels + ", ingestTimeMs=" + ingestTimeMs
                + "]";
    }
}
