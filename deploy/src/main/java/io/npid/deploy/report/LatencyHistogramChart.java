package io.npid.deploy.report;

import java.awt.Rectangle;
import java.util.Arrays;
import java.util.Locale;

/**
 * Draws the histogram of query latencies with the median and the 99th percentile marked.
 */
final class LatencyHistogramChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 380;
    private static final int BINS = 40;

    private LatencyHistogramChart() {}

    /**
     * Draws the chart; latencies beyond a little over the 99.5th percentile are counted in a note, not drawn, so that
     * one stray query does not squash the rest into a single bar.
     *
     * @param latenciesMs latencies in milliseconds
     * @return the picture
     */
    static Canvas draw(final double[] latenciesMs) {
        final Canvas canvas = new Canvas(WIDTH, HEIGHT);
        final double[] sorted = latenciesMs.clone();
        Arrays.sort(sorted);
        final Rectangle panel = new Rectangle(0, 0, WIDTH, HEIGHT);
        if (sorted.length == 0) {
            final Plot plot = new Plot(canvas, panel, NiceScale.of(0, 1, 5), NiceScale.of(0, 1, 5));
            plot.axes("Query latency", "milliseconds (query sent to result read)", "queries");
            canvas.text(
                    "no queries answered",
                    plot.area().getCenterX(),
                    plot.area().getCenterY(),
                    Canvas.LABEL,
                    Canvas.MUTED,
                    Canvas.Align.CENTER);
            return canvas;
        }
        final double p50 = Percentiles.ofSorted(sorted, 50);
        final double p99 = Percentiles.ofSorted(sorted, 99);
        final double top = Math.max(Percentiles.ofSorted(sorted, 99.5) * 1.15, p99 * 1.05);
        final NiceScale x = NiceScale.of(0, Math.max(top, 1e-3), 10);
        final double width = (x.max() - x.min()) / BINS;
        final int[] counts = new int[BINS];
        int beyond = 0;
        for (double v : sorted) {
            final int bin = (int) Math.floor((v - x.min()) / width);
            if (bin >= BINS) {
                beyond++;
            } else {
                counts[Math.max(0, bin)]++;
            }
        }
        final int highest = Arrays.stream(counts).max().orElse(1);
        final Plot plot = new Plot(canvas, panel, x, NiceScale.of(0, highest * 1.1, 6));
        plot.axes(
                String.format(Locale.ROOT, "Query latency (%,d queries)", sorted.length),
                "milliseconds (query sent to result read)",
                "queries");
        for (int b = 0; b < BINS; b++) {
            if (counts[b] > 0) {
                plot.bar(x.min() + b * width, x.min() + (b + 1) * width, counts[b], Canvas.BLUE);
            }
        }
        plot.vline(p50, Canvas.GREEN, true, String.format(Locale.ROOT, "p50 %.1f ms", p50));
        plot.vline(p99, Canvas.ORANGE, true, String.format(Locale.ROOT, "p99 %.1f ms", p99));
        if (beyond > 0) {
            canvas.text(
                    String.format(
                            Locale.ROOT, "%d slower, up to %.0f ms, not drawn", beyond, sorted[sorted.length - 1]),
                    plot.area().x + plot.area().width - 4,
                    plot.area().y - 14,
                    Canvas.SMALL,
                    Canvas.MUTED,
                    Canvas.Align.RIGHT);
        }
        return canvas;
    }
}
