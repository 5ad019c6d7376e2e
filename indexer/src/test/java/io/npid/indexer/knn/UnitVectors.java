package io.npid.indexer.knn;

import java.util.Random;

/** Random unit vectors for the knn tests: Gaussian directions, uniform on the sphere. */
final class UnitVectors {

    private UnitVectors() {}

    static float[] uniform(final Random random, final int dim) {
        final float[] v = new float[dim];
        double norm = 0;
        for (int d = 0; d < dim; d++) {
            v[d] = (float) random.nextGaussian();
            norm += v[d] * v[d];
        }
        for (int d = 0; d < dim; d++) {
            v[d] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
