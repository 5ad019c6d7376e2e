package io.npid.bench.data;

import java.util.Random;

/** Seeded random unit vectors (Gaussian directions), the data of the kNN, serde and end-to-end benchmarks. */
public final class RandomVectors {

    private RandomVectors() {}

    /**
     * Row-major unit vectors.
     *
     * @param rows how many
     * @param dim values per vector
     * @param seed random seed
     * @return {@code rows * dim} values
     */
    public static float[] unitRows(final int rows, final int dim, final long seed) {
        final Random random = new Random(seed);
        final float[] values = new float[Math.multiplyExact(rows, dim)];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                final float v = (float) random.nextGaussian();
                values[r * dim + d] = v;
                norm += (double) v * v;
            }
            final float inverse = (float) (1.0 / Math.sqrt(norm));
            for (int d = 0; d < dim; d++) {
                values[r * dim + d] *= inverse;
            }
        }
        return values;
    }

    /**
     * Row-major unit vectors gathered around {@code clusters} seeded centres (centre plus Gaussian noise of 0.6 of
     * the centre's spread per dimension, then normalised), closer to trained features than uniform directions.
     * The same seed-independent centres for every seed, so rows and queries drawn with two seeds share them.
     *
     * @param rows how many
     * @param dim values per vector
     * @param clusters how many centres, at least 1
     * @param seed random seed of the rows
     * @return {@code rows * dim} values
     */
    public static float[] clusteredRows(final int rows, final int dim, final int clusters, final long seed) {
        final float[] centres = unitRows(clusters, dim, 0x5EEDL);
        final Random random = new Random(seed);
        final float[] values = new float[Math.multiplyExact(rows, dim)];
        final double spread = 0.6 / Math.sqrt(dim);
        for (int r = 0; r < rows; r++) {
            final int c = random.nextInt(clusters);
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                final float v = (float) (centres[c * dim + d] + spread * random.nextGaussian());
                values[r * dim + d] = v;
                norm += (double) v * v;
            }
            final float inverse = (float) (1.0 / Math.sqrt(norm));
            for (int d = 0; d < dim; d++) {
                values[r * dim + d] *= inverse;
            }
        }
        return values;
    }

    /**
     * One row as its own array.
     *
     * @param values row-major values
     * @param row the row
     * @param dim values per row
     * @return a copy of the row
     */
    public static float[] row(final float[] values, final int row, final int dim) {
        return java.util.Arrays.copyOfRange(values, row * dim, (row + 1) * dim);
    }
}
