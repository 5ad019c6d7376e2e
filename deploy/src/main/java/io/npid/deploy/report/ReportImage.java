package io.npid.deploy.report;

import java.awt.image.BufferedImage;

/**
 * An image to show in the report: 8-bit pixels, row-major, channels interleaved (HWC), 1 or 3 channels.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param channels 1 (grey) or 3 (RGB)
 * @param pixels width * height * channels bytes
 */
public record ReportImage(int width, int height, int channels, byte[] pixels) {

    /**
     * Checks the shape.
     *
     * @throws IllegalArgumentException when the pixel count disagrees with the shape
     */
    public ReportImage {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (width <= 0 || height <= 0 || pixels.length != width * height * channels) {
            throw new IllegalArgumentException("expected " + width + "x" + height + "x" + channels + " = "
                    + (width * height * channels) + " bytes, got " + pixels.length);
        }
    }

    /** @return the image as an RGB BufferedImage */
    BufferedImage toBufferedImage() {
        final BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                final int i = (y * width + x) * channels;
                final int r = pixels[i] & 0xff;
                final int g = channels == 3 ? pixels[i + 1] & 0xff : r;
                final int b = channels == 3 ? pixels[i + 2] & 0xff : r;
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }
}
