package io.npid.bench.report;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles of a set of latencies in milliseconds. */
public final class LatencyStats {

    private LatencyStats() {}

    /**
     * Summarises latencies.
     *
     * @param millis the samples
     * @param prefix name prefix of the figures, e.g. {@code query_latency_ms_}
     * @return count, p50, p90, p99, max and mean under that prefix
     */
    public static Map<String, Object> summary(final double[] millis, final String prefix) {
        final double[] sorted = millis.clone();
        Arrays.sort(sorted);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put(prefix + "count", sorted.length);
        if (sorted.length == 0) {
            return figures;
        }
        figures.put(prefix + "p50", percentile(sorted, 0.50));
        figures.put(prefix + "p90", percentile(sorted, 0.90));
        figures.put(prefix + "p99", percentile(sorted, 0.99));
        figures.put(prefix + "max", sorted[sorted.length - 1]);
        figures.put(prefix + "mean", Arrays.stream(sorted).average().orElse(Double.NaN));
        return figures;
    }

    /**
     * Nearest-rank percentile of sorted samples.
     *
     * @param sorted the samples, ascending, at least one
     * @param fraction the percentile as a fraction, e.g. 0.99
     * @return the sample at that rank
     */
    public static double percentile(final double[] sorted, final double fraction) {
        final int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
