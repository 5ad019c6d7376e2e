package io.npid.trainer.data;

/**
 * SimCLR's Gaussian blur on the [0, 1] planes of a view: with the given probability, a separable Gaussian of sigma
 * drawn uniformly from [0.1, 2.0] and a kernel a tenth of the view's side (odd, at least 3), borders reflected as
 * torchvision's GaussianBlur. Blurred views make two instances that differ only in fine texture harder to tell apart,
 * so the features lean on shape.
 */
final class RandomBlur {
    private static final double SIGMA_MIN = 0.1;
    private static final double SIGMA_MAX = 2.0;

    private final double probability;
    private final int size;
    private final int radius;
    private final float[] kernel;
    private final float[] pass;

    RandomBlur(final double probability, final int size) {
        this.probability = probability;
        this.size = size;
        this.radius = Math.max(1, (int) Math.round(size * 0.1) / 2);
        this.kernel = new float[2 * radius + 1];
        this.pass = new float[size * size];
    }

    /**
     * Blurs planes[0..channels) with one random sigma, or leaves them.
     *
     * @param rng the random source (advanced by one draw, and one more when blurring)
     * @param planes the view's planes, size * size each
     * @param channels how many planes hold the view
     */
    void blur(final SplitMix64 rng, final float[][] planes, final int channels) {
        if (rng.nextDouble() >= probability) {
            return;
        }
        final double sigma = rng.uniform(SIGMA_MIN, SIGMA_MAX);
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        for (int c = 0; c < channels; c++) {
            convolve(planes[c], pass, 1, size);
            convolve(pass, planes[c], size, 1);
        }
    }

    /** One 1-D pass: along x when {@code step} is 1, along y when it is the row length. */
    private void convolve(final float[] from, final float[] to, final int step, final int lineStep) {
        for (int line = 0; line < size; line++) {
            final int base = line * lineStep;
            for (int i = 0; i < size; i++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] * from[base + reflect(i + k) * step];
                }
                to[base + i * step] = acc;
            }
        }
    }

    /** torchvision's "reflect" padding: -1 reads 1, size reads size - 2. */
    private int reflect(final int i) {
        if (i < 0) {
            return Math.min(-i, size - 1);
        }
        return i >= size ? Math.max(2 * size - 2 - i, 0) : i;
    }
}
