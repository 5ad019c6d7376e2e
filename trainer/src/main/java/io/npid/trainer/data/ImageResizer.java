package io.npid.trainer.data;

/**
 * Bounds an image's size for storage: its shorter side is shrunk to at most a given length, by area averaging and
 * keeping the aspect ratio; smaller images are returned as they are (never enlarged). Stateless.
 */
public final class ImageResizer {

    private ImageResizer() {}

    /**
     * The stored side a model of some input size is given when none is configured: 8/7 of it, rounded up (32 for
     * 28, 37 for 32, 256 for 224), so that random crops of a stored image still have detail to resize from.
     *
     * @param inputSize the model's input side
     * @return the shorter side stored images are shrunk to
     */
    public static int defaultStoredSide(final int inputSize) {
        return (inputSize * 8 + 6) / 7;
    }

    /**
     * Shrinks an image so that its shorter side is at most {@code maxShorterSide}.
     *
     * @param image the decoded image
     * @param maxShorterSide the longest the shorter side may be, at least 1
     * @return the image itself when already small enough, else a shrunk copy
     */
    public static DecodedImage shrinkToShorterSide(final DecodedImage image, final int maxShorterSide) {
        if (maxShorterSide < 1) {
            throw new IllegalArgumentException("maxShorterSide must be at least 1, got " + maxShorterSide);
        }
        final int w = image.width();
        final int h = image.height();
        final int shorter = Math.min(w, h);
        if (shorter <= maxShorterSide) {
            return image;
        }
        final double scale = (double) maxShorterSide / shorter;
        final int outW = w <= h ? maxShorterSide : Math.max(1, (int) Math.round(w * scale));
        final int outH = h < w ? maxShorterSide : Math.max(1, (int) Math.round(h * scale));
        final float[] values = AreaResampler.resample(image.pixels(), w, image.channels(), 0, 0, h, w, outH, outW);
        final byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            pixels[i] = (byte) Math.min(255, Math.round(values[i]));
        }
        return new DecodedImage(outW, outH, image.channels(), pixels);
    }
}
