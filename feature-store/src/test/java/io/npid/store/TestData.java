package io.npid.store;

import java.util.Random;

/** Deterministic images and unit vectors for tests: the same (id, version) always gives the same bytes. */
final class TestData {
    private TestData() {}

    static StoredImage image(final String id, final int version, final int side) {
        final Random rnd = new Random(seed(id, version));
        final byte[] pixels = new byte[side * side];
        rnd.nextBytes(pixels);
        return new StoredImage(id, pixels, side, side, 1, 1_000L + version);
    }

    static float[] unitVector(final String id, final int version, final int dim) {
        final Random rnd = new Random(seed(id, version) ^ 0x5DEECE66DL);
        final float[] v = new float[dim];
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian();
            sum += (double) v[i] * v[i];
        }
        final float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < dim; i++) {
            v[i] *= inv;
        }
        return v;
    }

    private static long seed(final String id, final int version) {
        return id.hashCode() * 1_000_003L + version;
    }
}
