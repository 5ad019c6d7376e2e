package io.npid.bench.store;

import java.util.Random;

/**
 * Seeded 28x28 grey images and 128-d unit vectors for the benchmark, pre-generated in a pool so that generation does
 * not count in the timings.
 *
 * <p>An image is a dark background with one bright noisy ellipse, roughly as compressible as a Fashion-MNIST item
 * (about half the pixels are zero), so the LZ4 figures are not flattered by blank or penalised by pure-noise images.
 */
final class SyntheticImages {
    static final int SIDE = 28;
    private final byte[][] images;
    private final float[][] vectors;

    SyntheticImages(final int poolSize, final int dimension, final long seed) {
        final Random rnd = new Random(seed);
        images = new byte[poolSize][];
        vectors = new float[poolSize][];
        for (int i = 0; i < poolSize; i++) {
            images[i] = image(rnd);
            vectors[i] = unitVector(rnd, dimension);
        }
    }

    byte[] image(final long index) {
        return images[(int) (index % images.length)];
    }

    float[] vector(final long index) {
        return vectors[(int) (index % vectors.length)];
    }

    private static byte[] image(final Random rnd) {
        final byte[] pixels = new byte[SIDE * SIDE];
        final double cx = 9 + rnd.nextDouble() * 10;
        final double cy = 9 + rnd.nextDouble() * 10;
        final double rx = 5 + rnd.nextDouble() * 7;
        final double ry = 5 + rnd.nextDouble() * 7;
        final int level = 80 + rnd.nextInt(150);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                final double d = Math.pow((x - cx) / rx, 2) + Math.pow((y - cy) / ry, 2);
                if (d <= 1) {
                    pixels[y * SIDE + x] = (byte) Math.min(255, level + rnd.nextInt(40) - (int) (d * 40));
                }
            }
        }
        return pixels;
    }

    private static float[] unitVector(final Random rnd, final int dimension) {
        final float[] v = new float[dimension];
        double sum = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) rnd.nextGaussian();
            sum += (double) v[i] * v[i];
        }
        final double inv = 1 / Math.sqrt(sum);
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) (v[i] * inv);
        }
        return v;
    }
}
