package io.npid.deploy.report;

import java.awt.Rectangle;
import java.util.List;
import java.util.Locale;

/**
 * Draws the online-learning curve of a streamed run: the kNN top-1 accuracy of the live answers against seconds
 * since the stream started, and beside it the images stored and labelled by then, on the same time axis.
 */
final class OnlineCurveChart {
    static final int WIDTH = 1100;
    static final int HEIGHT = 380;

    private OnlineCurveChart() {}

    /**
     * Draws the chart.
     *
     * @param points the probes, in time order
     * @param classes number of classes, for the chance line (0 to omit it)
     * @return the picture
     */
    static Canvas draw(final List<StreamPoint> points, final int classes) {
        final Canvas canvas = new Canvas(WIDTH, HEIGHT);
        final double[] seconds =
                points.stream().mapToDouble(StreamPoint::seconds).toArray();
        double last = 1e-9;
        for (double s : seconds) {
            last = Math.max(last, s);
        }
        final NiceScale x = NiceScale.of(0, last, 8);
        accuracyPanel(canvas, new Rectangle(0, 0, WIDTH / 2, HEIGHT), x, points, classes);
        imagesPanel(canvas, new Rectangle(WIDTH / 2, 0, WIDTH / 2, HEIGHT), x, points);
        return canvas;
    }

    private static void accuracyPanel(
            final Canvas canvas,
            final Rectangle panel,
            final NiceScale x,
            final List<StreamPoint> points,
            final int classes) {
        final Plot plot = new Plot(canvas, panel, x, new NiceScale(0, 100, 20));
        plot.axes("kNN top-1 of the live answers while streaming", "seconds since the stream started", "accuracy (%)");
        if (classes > 1) {
            plot.hline(
                    100.0 / classes, Canvas.MUTED, true, String.format(Locale.ROOT, "chance %.0f%%", 100.0 / classes));
        }
        final double[] xs = points.stream()
                .filter(p -> Double.isFinite(p.knnTop1()))
                .mapToDouble(StreamPoint::seconds)
                .toArray();
        final double[] ys = points.stream()
                .filter(p -> Double.isFinite(p.knnTop1()))
                .mapToDouble(p -> 100 * p.knnTop1())
                .toArray();
        if (xs.length == 0) {
            notMeasured(canvas, plot);
            return;
        }
        plot.line(xs, ys, Canvas.ORANGE, 2.2f);
        plot.points(xs, ys, Canvas.ORANGE, 3.5);
        final int end = ys.length - 1;
        canvas.text(
                String.format(Locale.ROOT, "%.1f%%", ys[end]),
                plot.px(xs[end]) - 6,
                plot.py(ys[end]) - 10,
                Canvas.LABEL,
                Canvas.ORANGE,
                Canvas.Align.RIGHT);
    }

    private static void imagesPanel(
            final Canvas canvas, final Rectangle panel, final NiceScale x, final List<StreamPoint> points) {
        long most = 1;
        for (StreamPoint p : points) {
            most = Math.max(most, Math.max(p.imagesSent(), p.imagesStored()));
        }
        final Plot plot = new Plot(canvas, panel, x, NiceScale.of(0, most, 6));
        plot.axes(
                "Images in the memory bank (blue) and labelled (green)", "seconds since the stream started", "images");
        if (points.isEmpty()) {
            notMeasured(canvas, plot);
            return;
        }
        final double[] xs = points.stream().mapToDouble(StreamPoint::seconds).toArray();
        final double[] stored =
                points.stream().mapToDouble(StreamPoint::imagesStored).toArray();
        final double[] labelled =
                points.stream().mapToDouble(StreamPoint::imagesLabelled).toArray();
        plot.line(xs, stored, Canvas.BLUE, 2.2f);
        plot.points(xs, stored, Canvas.BLUE, 3.0);
        plot.line(xs, labelled, Canvas.GREEN, 2.2f);
        plot.points(xs, labelled, Canvas.GREEN, 3.0);
    }

    private static void notMeasured(final Canvas canvas, final Plot plot) {
        canvas.text(
                "not measured in this run",
                plot.area().getCenterX(),
                plot.area().getCenterY(),
                Canvas.LABEL,
                Canvas.MUTED,
                Canvas.Align.CENTER);
    }
}
