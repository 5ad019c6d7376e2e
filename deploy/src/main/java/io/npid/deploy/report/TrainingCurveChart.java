package io.npid.deploy.report;

import java.awt.Rectangle;
import java.util.List;
import java.util.Locale;

/**
 * Draws the training curve: loss (raw and smoothed) and kNN top-1 accuracy against epochs, side by side.
 */
final class TrainingCurveChart {
    static final int WIDTH = 1100;
    static final int HEIGHT = 380;

    private TrainingCurveChart() {}

    /**
     * Draws the chart.
     *
     * @param curve the points, in step order
     * @param classes number of classes, for the chance line (0 to omit it)
     * @return the picture
     */
    static Canvas draw(final List<CurvePoint> curve, final int classes) {
        final Canvas canvas = new Canvas(WIDTH, HEIGHT);
        final double[] epochs = curve.stream().mapToDouble(CurvePoint::epoch).toArray();
        final double[] loss = curve.stream().mapToDouble(CurvePoint::loss).toArray();
        final double[] knn = curve.stream().mapToDouble(p -> 100 * p.knnTop1()).toArray();
        final NiceScale x = NiceScale.of(0, Math.max(max(epochs), 1e-9), 8);
        lossPanel(canvas, new Rectangle(0, 0, WIDTH / 2, HEIGHT), x, epochs, loss);
        knnPanel(canvas, new Rectangle(WIDTH / 2, 0, WIDTH / 2, HEIGHT), x, epochs, knn, classes);
        return canvas;
    }

    private static void lossPanel(
            final Canvas canvas,
            final Rectangle panel,
            final NiceScale x,
            final double[] allEpochs,
            final double[] allLoss) {
        // accuracy probes sit in the same list with no loss: draw the steps only, as one unbroken line
        final double[] epochs = finiteOnly(allEpochs, allLoss);
        final double[] loss = finiteOnly(allLoss, allLoss);
        // the loss of NPID moves within a narrow band; a y axis from zero would flatten it
        final Plot plot = new Plot(canvas, panel, x, NiceScale.of(min(loss), max(loss), 6));
        plot.axes("Training loss", "epoch", "loss");
        if (loss.length == 0) {
            noData(canvas, plot);
            return;
        }
        plot.line(epochs, loss, Canvas.LIGHT_BLUE, 1f);
        plot.line(epochs, smooth(loss, Math.max(1, loss.length / 40)), Canvas.BLUE, 2.2f);
        canvas.text(
                String.format(Locale.ROOT, "last %.3f", loss[loss.length - 1]),
                plot.area().x + plot.area().width - 6,
                plot.area().y + 14,
                Canvas.LABEL,
                Canvas.BLUE,
                Canvas.Align.RIGHT);
    }

    private static void knnPanel(
            final Canvas canvas,
            final Rectangle panel,
            final NiceScale x,
            final double[] epochs,
            final double[] knnPercent,
            final int classes) {
        final Plot plot = new Plot(canvas, panel, x, new NiceScale(0, 100, 20));
        plot.axes("kNN top-1 accuracy (live pipeline)", "epoch", "accuracy (%)");
        if (classes > 1) {
            plot.hline(
                    100.0 / classes, Canvas.MUTED, true, String.format(Locale.ROOT, "chance %.0f%%", 100.0 / classes));
        }
        if (count(knnPercent) == 0) {
            noData(canvas, plot);
            return;
        }
        // accuracy is measured now and then, so join the measured points rather than break the line at the gaps
        final double[] xs = finiteOnly(epochs, knnPercent);
        final double[] ys = finiteOnly(knnPercent, knnPercent);
        plot.line(xs, ys, Canvas.ORANGE, 2.2f);
        plot.points(xs, ys, Canvas.ORANGE, 3.5);
        final int last = ys.length - 1;
        canvas.text(
                String.format(Locale.ROOT, "%.1f%%", ys[last]),
                plot.px(xs[last]) - 6,
                plot.py(ys[last]) - 10,
                Canvas.LABEL,
                Canvas.ORANGE,
                Canvas.Align.RIGHT);
    }

    private static void noData(final Canvas canvas, final Plot plot) {
        canvas.text(
                "not measured in this run",
                plot.area().getCenterX(),
                plot.area().getCenterY(),
                Canvas.LABEL,
                Canvas.MUTED,
                Canvas.Align.CENTER);
    }

    /** Centred moving average over finite values, NaN where the input is NaN. */
    static double[] smooth(final double[] v, final int halfWindow) {
        final double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                out[i] = Double.NaN;
                continue;
            }
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, i - halfWindow); j <= Math.min(v.length - 1, i + halfWindow); j++) {
                if (Double.isFinite(v[j])) {
                    sum += v[j];
                    n++;
                }
            }
            out[i] = sum / n;
        }
        return out;
    }

    private static double[] finiteOnly(final double[] values, final double[] filter) {
        final double[] out = new double[count(filter)];
        int j = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(filter[i])) {
                out[j++] = values[i];
            }
        }
        return out;
    }

    private static int count(final double[] v) {
        int n = 0;
        for (double d : v) {
            n += Double.isFinite(d) ? 1 : 0;
        }
        return n;
    }

    private static double max(final double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (Double.isFinite(d)) {
                m = Math.max(m, d);
            }
        }
        return Double.isFinite(m) ? m : 1;
    }

    private static double min(final double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) {
            if (Double.isFinite(d)) {
                m = Math.min(m, d);
            }
        }
        return Double.isFinite(m) ? m : 0;
    }
}
