package io.npid.deploy.report;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * One chart panel on a {@link Canvas}: a plot area with x and y scales, grid, ticks, axis titles, and data marks.
 */
final class Plot {
    private final Canvas canvas;
    private final Rectangle area;
    private final NiceScale x;
    private final NiceScale y;

    /**
     * Lays out a panel.
     *
     * @param canvas the picture
     * @param panel the whole panel, including room for titles and tick labels
     * @param x x scale
     * @param y y scale
     */
    Plot(final Canvas canvas, final Rectangle panel, final NiceScale x, final NiceScale y) {
        this.canvas = canvas;
        this.area = new Rectangle(panel.x + 62, panel.y + 34, panel.width - 62 - 14, panel.height - 34 - 46);
        this.x = x;
        this.y = y;
    }

    double px(final double v) {
        return area.x + (v - x.min()) / (x.max() - x.min()) * area.width;
    }

    double py(final double v) {
        return area.y + area.height - (v - y.min()) / (y.max() - y.min()) * area.height;
    }

    Rectangle area() {
        return area;
    }

    /** Draws the grid, ticks with labels, the panel title and the axis titles. */
    void axes(final String title, final String xTitle, final String yTitle) {
        for (double t : y.ticks()) {
            canvas.stroke(Canvas.GRID, 1f, false);
            canvas.g().draw(new Line2D.Double(area.x, py(t), area.x + area.width, py(t)));
            canvas.text(y.label(t), area.x - 8, py(t) + 4, Canvas.SMALL, Canvas.MUTED, Canvas.Align.RIGHT);
        }
        for (double t : x.ticks()) {
            canvas.stroke(Canvas.GRID, 1f, false);
            canvas.g().draw(new Line2D.Double(px(t), area.y, px(t), area.y + area.height));
            canvas.text(x.label(t), px(t), area.y + area.height + 16, Canvas.SMALL, Canvas.MUTED, Canvas.Align.CENTER);
        }
        canvas.stroke(Canvas.AXIS, 1f, false);
        canvas.g().draw(new Line2D.Double(area.x, area.y + area.height, area.x + area.width, area.y + area.height));
        canvas.g().draw(new Line2D.Double(area.x, area.y, area.x, area.y + area.height));
        canvas.text(title, area.x, area.y - 14, Canvas.TITLE, Canvas.TEXT, Canvas.Align.LEFT);
        canvas.text(
                xTitle,
                area.x + area.width / 2.0,
                area.y + area.height + 36,
                Canvas.LABEL,
                Canvas.MUTED,
                Canvas.Align.CENTER);
        canvas.verticalText(yTitle, area.x - 48, area.y + area.height / 2.0, Canvas.LABEL, Canvas.MUTED);
    }

    /** Draws a polyline through the finite points, breaking it at NaN. */
    void line(final double[] xs, final double[] ys, final Color color, final float width) {
        canvas.stroke(color, width, false);
        final Path2D.Double path = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isFinite(ys[i]) || !Double.isFinite(xs[i])) {
                pen = false;
                continue;
            }
            if (pen) {
                path.lineTo(px(xs[i]), py(ys[i]));
            } else {
                path.moveTo(px(xs[i]), py(ys[i]));
                pen = true;
            }
        }
        canvas.g().draw(path);
    }

    /** Draws filled round markers at the finite points. */
    void points(final double[] xs, final double[] ys, final Color color, final double radius) {
        for (int i = 0; i < xs.length; i++) {
            if (Double.isFinite(ys[i])) {
                canvas.g().setColor(Color.WHITE);
                canvas.g()
                        .fill(new java.awt.geom.Ellipse2D.Double(
                                px(xs[i]) - radius - 1.5, py(ys[i]) - radius - 1.5, 2 * radius + 3, 2 * radius + 3));
                canvas.g().setColor(color);
                canvas.g()
                        .fill(new java.awt.geom.Ellipse2D.Double(
                                px(xs[i]) - radius, py(ys[i]) - radius, 2 * radius, 2 * radius));
            }
        }
    }

    /** Draws a vertical marker line over the whole plot height with a label at its top. */
    void vline(final double v, final Color color, final boolean dashed, final String label) {
        canvas.stroke(color, 1.5f, dashed);
        canvas.g().draw(new Line2D.Double(px(v), area.y, px(v), area.y + area.height));
        if (label != null) {
            canvas.text(label, px(v) + 4, area.y + 12, Canvas.SMALL, color, Canvas.Align.LEFT);
        }
    }

    /** Draws a horizontal marker line over the whole plot width with a label at its right end. */
    void hline(final double v, final Color color, final boolean dashed, final String label) {
        canvas.stroke(color, 1.2f, dashed);
        canvas.g().draw(new Line2D.Double(area.x, py(v), area.x + area.width, py(v)));
        if (label != null) {
            canvas.text(label, area.x + area.width - 4, py(v) - 5, Canvas.SMALL, color, Canvas.Align.RIGHT);
        }
    }

    /** Draws a bar from y = 0 (or the scale's floor) up to the value, between two x values. */
    void bar(final double x0, final double x1, final double value, final Color color) {
        final double top = py(value);
        final double base = py(Math.max(y.min(), 0));
        canvas.g().setColor(color);
        canvas.g().fill(new Rectangle2D.Double(px(x0) + 0.5, top, Math.max(1, px(x1) - px(x0) - 1), base - top));
    }
}
