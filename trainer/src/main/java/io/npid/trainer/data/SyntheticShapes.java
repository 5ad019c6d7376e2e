package io.npid.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded generator of 28x28 grey images of ten shape classes with random position, scale, rotation, contrast
 * and noise, for tests that need a learnable data set without files.
 */
public final class SyntheticShapes {
    /** Image side in pixels. */
    public static final int SIZE = 28;
    /** The class names, index = label. */
    public static final String[] CLASS_NAMES = {
        "disc", "ring", "square", "frame", "triangle", "bar", "cross-x", "plus", "two-dots", "stripes"
    };

    private SyntheticShapes() {}

    /**
     * Generates {@code n} images, labels cycling through the ten classes.
     *
     * @param n number of images
     * @param seed generator seed; the same seed gives the same images
     * @return the data set
     */
    public static LabelledImages generate(final int n, final long seed) {
        final List<DecodedImage> images = new ArrayList<>(n);
        final int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            final SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, i));
            labels[i] = i % CLASS_NAMES.length;
            images.add(render(labels[i], rng));
        }
        return new LabelledImages(images, labels, CLASS_NAMES.clone());
    }

    private static DecodedImage render(final int label, final SplitMix64 rng) {
        final double cx = rng.uniform(10, 18);
        final double cy = rng.uniform(10, 18);
        final double scale = rng.uniform(5, 9);
        final double angle = rng.uniform(-Math.PI / 6, Math.PI / 6);
        final double fg = rng.uniform(150, 255);
        final double bg = rng.uniform(0, 60);
        final double noise = rng.uniform(5, 25);
        final double cos = Math.cos(angle);
        final double sin = Math.sin(angle);
        final byte[] px = new byte[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                final double dx = x - cx;
                final double dy = y - cy;
                final double u = (cos * dx + sin * dy) / scale;
                final double v = (-sin * dx + cos * dy) / scale;
                final double ink = inside(label, u, v) ? 1 : 0;
                final double value = bg + (fg - bg) * ink + noise * (rng.nextDouble() * 2 - 1);
                px[y * SIZE + x] = (byte) Math.max(0, Math.min(255, Math.round(value)));
            }
        }
        return new DecodedImage(SIZE, SIZE, 1, px);
    }

    /** Shape membership in the unit frame (u, v in about -1..1). */
    private static boolean inside(final int label, final double u, final double v) {
        final double r = Math.hypot(u, v);
        final double au = Math.abs(u);
        final double av = Math.abs(v);
        return switch (label) {
            case 0 -> r <= 0.9;
            case 1 -> r <= 1.0 && r >= 0.6;
            case 2 -> au <= 0.8 && av <= 0.8;
            case 3 -> au <= 0.9 && av <= 0.9 && (au >= 0.55 || av >= 0.55);
            case 4 -> v <= 0.8 && v >= -0.9 && au <= (v + 0.9) * 0.55;
            case 5 -> au <= 1.0 && av <= 0.3;
            case 6 -> (Math.abs(u - v) <= 0.35 || Math.abs(u + v) <= 0.35) && r <= 1.2;
            case 7 -> (au <= 0.25 && av <= 1.0) || (av <= 0.25 && au <= 1.0);
            case 8 -> Math.hypot(u - 0.55, v) <= 0.35 || Math.hypot(u + 0.55, v) <= 0.35;
            default -> au <= 1.0 && av <= 1.0 && ((int) Math.floor((v + 1.0) * 2.5)) % 2 == 0;
        };
    }
}
