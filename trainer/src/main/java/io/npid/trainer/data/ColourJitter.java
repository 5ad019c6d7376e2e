package io.npid.trainer.data;

/**
 * torchvision's ColorJitter and RandomGrayscale on the three planes of an {@link Augmenter}'s crop (values 0..1),
 * in place.
 */
final class ColourJitter {
    private final float[][] planes;
    private final int[] order = {0, 1, 2, 3};

    ColourJitter(final float[][] planes) {
        this.planes = planes;
    }

    /** ITU-R 601 luma, as torchvision's greyscale. */
    static float luma(final float r, final float g, final float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    /**
     * Jitters brightness, contrast, saturation and hue by factors drawn from the strength, in a random order.
     *
     * @param rng the random source (advanced)
     * @param s the strength: factors in [1 - s, 1 + s], hue shift in [-min(s, 0.5), min(s, 0.5)]
     */
    void jitter(final SplitMix64 rng, final double s) {
        final float brightness = (float) rng.uniform(Math.max(0, 1 - s), 1 + s);
        final float contrast = (float) rng.uniform(Math.max(0, 1 - s), 1 + s);
        final float saturation = (float) rng.uniform(Math.max(0, 1 - s), 1 + s);
        final float hue = (float) rng.uniform(-Math.min(s, 0.5), Math.min(s, 0.5));
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = 3; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (final int op : order) {
            switch (op) {
                case 0 -> blend(brightness, 0f, false);
                case 1 -> blend(contrast, meanLuma(), false);
                case 2 -> blend(saturation, 0f, true);
                default -> shiftHue(hue);
            }
        }
    }

    /**
     * Jitters the brightness and contrast of a grey crop (plane 0 only) by factors drawn from the strength, in a
     * random order: torchvision's ColorJitter(s, s) on a one-channel image.
     *
     * @param rng the random source (advanced)
     * @param s the strength: factors in [1 - s, 1 + s]
     */
    void jitterGrey(final SplitMix64 rng, final double s) {
        final float brightness = (float) rng.uniform(Math.max(0, 1 - s), 1 + s);
        final float contrast = (float) rng.uniform(Math.max(0, 1 - s), 1 + s);
        if (rng.nextFloat() < 0.5f) {
            blendGrey(brightness, 0f);
            blendGrey(contrast, mean(planes[0]));
        } else {
            blendGrey(contrast, mean(planes[0]));
            blendGrey(brightness, 0f);
        }
    }

    private void blendGrey(final float factor, final float other) {
        final float[] p = planes[0];
        final float rest = (1f - factor) * other;
        for (int i = 0; i < p.length; i++) {
            p[i] = clamp(factor * p[i] + rest);
        }
    }

    private static float mean(final float[] plane) {
        double sum = 0;
        for (final float v : plane) {
            sum += v;
        }
        return (float) (sum / plane.length);
    }

    /** img = clamp(f*img + (1-f)*other) where other is a constant or the pixel's grey value. */
    private void blend(final float factor, final float constant, final boolean perPixelGrey) {
        final float[] r = planes[0];
        final float[] g = planes[1];
        final float[] b = planes[2];
        final float rest = 1f - factor;
        for (int i = 0; i < r.length; i++) {
            final float other = perPixelGrey ? luma(r[i], g[i], b[i]) : constant;
            r[i] = clamp(factor * r[i] + rest * other);
            g[i] = clamp(factor * g[i] + rest * other);
            b[i] = clamp(factor * b[i] + rest * other);
        }
    }

    private float meanLuma() {
        double sum = 0;
        for (int i = 0; i < planes[0].length; i++) {
            sum += luma(planes[0][i], planes[1][i], planes[2][i]);
        }
        return (float) (sum / planes[0].length);
    }

    private void shiftHue(final float shift) {
        final float[] r = planes[0];
        final float[] g = planes[1];
        final float[] b = planes[2];
        for (int i = 0; i < r.length; i++) {
            final float max = Math.max(r[i], Math.max(g[i], b[i]));
            final float min = Math.min(r[i], Math.min(g[i], b[i]));
            final float delta = max - min;
            if (delta <= 0f) {
                continue;
            }
            float h;
            if (max == r[i]) {
                h = (g[i] - b[i]) / delta;
            } else if (max == g[i]) {
                h = 2f + (b[i] - r[i]) / delta;
            } else {
                h = 4f + (r[i] - g[i]) / delta;
            }
            h = h / 6f + shift;
            h -= (float) Math.floor(h);
            final float sat = delta / max;
            final float h6 = h * 6f;
            final int sector = Math.min((int) h6, 5);
            final float f = h6 - sector;
            final float p = max * (1f - sat);
            final float q = max * (1f - sat * f);
            final float t = max * (1f - sat * (1f - f));
            switch (sector) {
                case 0 -> set(i, max, t, p);
                case 1 -> set(i, q, max, p);
                case 2 -> set(i, p, max, t);
                case 3 -> set(i, p, q, max);
                case 4 -> set(i, t, p, max);
                default -> set(i, max, p, q);
            }
        }
    }

    private void set(final int i, final float r, final float g, final float b) {
        planes[0][i] = r;
        planes[1][i] = g;
        planes[2][i] = b;
    }

    /** Replaces each pixel by its grey value in all three planes. */
    void toGrey() {
        for (int i = 0; i < planes[0].length; i++) {
            final float grey = luma(planes[0][i], planes[1][i], planes[2][i]);
            set(i, grey, grey, grey);
        }
    }

    private static float clamp(final float v) {
        return v < 0f ? 0f : Math.min(v, 1f);
    }
}
