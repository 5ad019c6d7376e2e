package io.npid.trainer.data;

import java.util.Arrays;

/**
 * torchvision's RandomErasing with its defaults (area 2–33% of the view, aspect 0.3–3.3, value 0) on a normalised
 * CHW view: with the given probability one random rectangle of every channel is set to 0, the data set's mean.
 * Views that must be told apart by more than one part of the object make the network look at all of it.
 */
final class RandomErasing {
    private static final double AREA_MIN = 0.02;
    private static final double AREA_MAX = 0.33;
    private static final double LOG_RATIO_MIN = Math.log(0.3);
    private static final double LOG_RATIO_MAX = Math.log(1 / 0.3);

    private final double probability;

    RandomErasing(final double probability) {
        this.probability = probability;
    }

    /**
     * Erases one rectangle with the configured probability; after ten rectangles that do not fit, none.
     *
     * @param rng the random source (advanced)
     * @param out the views
     * @param offset where this view's CHW tensor starts
     * @param channels channels of the view
     * @param size width and height of the view
     */
    void erase(final SplitMix64 rng, final float[] out, final int offset, final int channels, final int size) {
        if (rng.nextDouble() >= probability) {
            return;
        }
        final int n = size * size;
        for (int attempt = 0; attempt < 10; attempt++) {
            final double area = n * rng.uniform(AREA_MIN, AREA_MAX);
            final double aspect = Math.exp(rng.uniform(LOG_RATIO_MIN, LOG_RATIO_MAX));
            final int h = (int) Math.round(Math.sqrt(area * aspect));
            final int w = (int) Math.round(Math.sqrt(area / aspect));
            if (h >= 1 && w >= 1 && h < size && w < size) {
                final int top = rng.nextInt(size - h + 1);
                final int left = rng.nextInt(size - w + 1);
                for (int c = 0; c < channels; c++) {
                    for (int y = top; y < top + h; y++) {
                        final int row = offset + c * n + y * size + left;
                        Arrays.fill(out, row, row + w, 0f);
                    }
                }
                return;
            }
        }
    }
}
