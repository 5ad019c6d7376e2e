package io.npid.trainer.data;

import java.util.Objects;

/**
 * One decoded image: 8-bit pixels, row-major, channels interleaved (HWC).
 *
 * @param width width in pixels, at least 1
 * @param height height in pixels, at least 1
 * @param channels 1 (grey) or 3 (RGB)
 * @param pixels width * height * channels bytes, read as unsigned
 */
public record DecodedImage(int width, int height, int channels, byte[] pixels) {

    /** Checks that the shape and the pixel array agree. */
    public DecodedImage {
        Objects.requireNonNull(pixels, "pixels");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("Image must be at least 1x1, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Image must have 1 or 3 channels, got " + channels);
        }
        if ((long) width * height * channels != pixels.length) {
            throw new IllegalArgumentException(
                    "Pixel array has " + pixels.length + " bytes, expected " + width + "*" + height + "*" + channels);
        }
    }

    /**
     * Returns the pixel value at (y, x, c) as 0..255.
     *
     * @param y row
     * @param x column
     * @param c channel
     * @return the unsigned value
     */
    public int value(final int y, final int x, final int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }
}
