package io.npid.trainer.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the kNN vote's temperature T without the test set: a seeded 10% of the labelled training rows are held
 * out as validation queries against a bank of the other 90%, the vote runs at each T of a small grid, and the T with
 * the best validation accuracy wins (the smallest such T on a tie). k stays fixed. The paper's T 0.07 was set for
 * ImageNet; with a different data set and temperature of training the best vote T can differ, and choosing it on
 * the test images would report a tuned, optimistic figure.
 */
public final class VoteTemperature {
    /** The default grid of vote temperatures, around the paper's 0.07. */
    public static final double[] GRID = {0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.2};

    /** The share of training rows held out as validation queries. */
    public static final double VALIDATION_FRACTION = 0.1;

    private final int k;
    private final double[] grid;
    private final long seed;

    /**
     * The outcome: the chosen temperature and the validation accuracy at every grid point.
     *
     * @param temperature the chosen vote temperature
     * @param grid the temperatures tried
     * @param validationAccuracy validation top-1 at each grid temperature, in grid order
     * @param validationRows training rows held out as queries
     */
    public record Choice(double temperature, double[] grid, double[] validationAccuracy, int validationRows) {
        /**
         * The validation accuracy at the chosen temperature.
         *
         * @return validation top-1 of the chosen temperature
         */
        public double chosenAccuracy() {
            return accuracyAt(temperature);
        }

        /**
         * The validation accuracy at a grid temperature.
         *
         * @param t a temperature of the grid
         * @return validation top-1 at it
         * @throws IllegalArgumentException when t is not on the grid
         */
        public double accuracyAt(final double t) {
            for (int i = 0; i < grid.length; i++) {
                if (grid[i] == t) {
                    return validationAccuracy[i];
                }
            }
            throw new IllegalArgumentException("T " + t + " is not on the grid " + Arrays.toString(grid));
        }
    }

    /**
     * Creates a chooser.
     *
     * @param k neighbours that vote (200 in the paper)
     * @param grid temperatures to try, each > 0
     * @param seed seed of the validation split
     */
    public VoteTemperature(final int k, final double[] grid, final long seed) {
        if (grid.length == 0) {
            throw new IllegalArgumentException("the temperature grid is empty");
        }
        this.k = k;
        this.grid = grid.clone();
        this.seed = seed;
    }

    /**
     * Holds out the validation rows and picks the temperature.
     *
     * @param train labelled training features, labels.length * dim floats, row-major
     * @param labels labels of the training rows
     * @param dim feature dimension
     * @param numClasses number of classes
     * @return the chosen temperature with the validation accuracies
     */
    public Choice choose(final float[] train, final int[] labels, final int dim, final int numClasses) {
        final int n = labels.length;
        final int held = (int) Math.round(n * VALIDATION_FRACTION);
        if (held < 1 || held >= n) {
            throw new IllegalArgumentException(
                    "too few labelled training rows (" + n + ") to hold out a validation split");
        }
        final int[] order = permutation(n, seed);
        final float[] bank = new float[(n - held) * dim];
        final int[] bankLabels = new int[n - held];
        final float[] queries = new float[held * dim];
        final int[] queryLabels = new int[held];
        for (int i = 0; i < n; i++) {
            final int row = order[i];
            if (i < held) {
                System.arraycopy(train, row * dim, queries, i * dim, dim);
                queryLabels[i] = labels[row];
            } else {
                System.arraycopy(train, row * dim, bank, (i - held) * dim, dim);
                bankLabels[i - held] = labels[row];
            }
        }
        // the evaluator checks only that T > 0; its own T is unused by accuracies
        final double[] acc =
                new KnnEvaluator(k, grid[0]).accuracies(bank, bankLabels, queries, queryLabels, dim, numClasses, grid);
        int best = 0;
        for (int t = 1; t < grid.length; t++) {
            if (acc[t] > acc[best] || (acc[t] == acc[best] && grid[t] < grid[best])) {
                best = t;
            }
        }
        return new Choice(grid[best], grid.clone(), acc, held);
    }

    /** A seeded Fisher-Yates shuffle of 0..n-1. */
    private static int[] permutation(final int n, final long seed) {
        final int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        final SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
