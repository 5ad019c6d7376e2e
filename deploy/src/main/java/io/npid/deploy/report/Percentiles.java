package io.npid.deploy.report;

import java.util.Arrays;

/** Nearest-rank percentiles, the one definition used by the summary, the JSON and the latency chart. */
public final class Percentiles {
    private Percentiles() {}

    /**
     * The nearest-rank percentile.
     *
     * @param values values in any order (not modified)
     * @param p percentile in [0, 100]
     * @return the value at that rank, NaN when there are no values
     */
    public static double of(final double[] values, final double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return ofSorted(sorted, p);
    }

    /**
     * The nearest-rank percentile of values already sorted ascending.
     *
     * @param sorted ascending values, not empty
     * @param p percentile in [0, 100]
     * @return the value at that rank
     */
    public static double ofSorted(final double[] sorted, final double p) {
        final int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }
}
