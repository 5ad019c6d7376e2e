package io.npid.deploy.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;

/**
 * Draws the retrieval figure of the paper: each test query followed by its nearest training images, each framed
 * green when it has the query's class and red when not.
 */
final class RetrievalGridChart {
    static final int NEIGHBOURS = 10;
    private static final int MARGIN = 20;
    private static final int TILE = 64;
    private static final int FRAME = 3;
    private static final int PITCH = 84;
    private static final int QUERY_GAP = 30;
    private static final int SCORE_COLUMN = 64;
    private static final int HEADER = 86;
    private static final int ROW_HEIGHT = TILE + 2 * FRAME + 44;
    private static final Font BOLD_SMALL = new Font(Font.SANS_SERIF, Font.BOLD, 11);
    private static final Font NAME = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private RetrievalGridChart() {}

    /**
     * Draws the figure.
     *
     * @param rows queries with their neighbours (at most {@value #NEIGHBOURS} are drawn per row)
     * @return the picture
     */
    static Canvas draw(final List<RetrievalRow> rows) {
        final int width = 2 * MARGIN + PITCH + QUERY_GAP + NEIGHBOURS * PITCH + SCORE_COLUMN;
        final int height = HEADER + Math.max(1, rows.size()) * ROW_HEIGHT + MARGIN;
        final Canvas canvas = new Canvas(width, height);
        canvas.g().setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        canvas.text(
                "Test queries and their " + NEIGHBOURS + " nearest training images in the memory bank",
                MARGIN,
                MARGIN + 14,
                Canvas.TITLE,
                Canvas.TEXT,
                Canvas.Align.LEFT);
        canvas.text(
                "First column: the query, its true class and the class the live pipeline answered. "
                        + "Then its nearest neighbours by cosine similarity:",
                MARGIN,
                MARGIN + 34,
                Canvas.LABEL,
                Canvas.MUTED,
                Canvas.Align.LEFT);
        final int legendX = MARGIN
                + canvas.text(
                        "green frame = same class as the query, ",
                        MARGIN,
                        MARGIN + 50,
                        Canvas.LABEL,
                        Canvas.GREEN,
                        Canvas.Align.LEFT);
        canvas.text("red frame = another class.", legendX, MARGIN + 50, Canvas.LABEL, Canvas.RED, Canvas.Align.LEFT);
        final int firstNeighbourX = MARGIN + PITCH + QUERY_GAP;
        for (int r = 0; r < NEIGHBOURS; r++) {
            canvas.text(
                    Integer.toString(r + 1),
                    firstNeighbourX + r * PITCH + (TILE + 2 * FRAME) / 2.0,
                    HEADER - 6,
                    Canvas.SMALL,
                    Canvas.MUTED,
                    Canvas.Align.CENTER);
        }
        canvas.text(
                "same",
                width - MARGIN - SCORE_COLUMN / 2.0 + 4,
                HEADER - 6,
                Canvas.SMALL,
                Canvas.MUTED,
                Canvas.Align.CENTER);
        if (rows.isEmpty()) {
            canvas.text(
                    "no query was answered",
                    width / 2.0,
                    HEADER + ROW_HEIGHT / 2.0,
                    Canvas.LABEL,
                    Canvas.MUTED,
                    Canvas.Align.CENTER);
        }
        for (int i = 0; i < rows.size(); i++) {
            drawRow(canvas, rows.get(i), HEADER + i * ROW_HEIGHT, firstNeighbourX, width);
        }
        canvas.stroke(Canvas.GRID, 1f, false);
        final double divider = MARGIN + PITCH + QUERY_GAP / 2.0 - 6;
        canvas.g().draw(new Line2D.Double(divider, HEADER - 2, divider, height - MARGIN));
        return canvas;
    }

    private static void drawRow(
            final Canvas canvas, final RetrievalRow row, final int top, final int firstNeighbourX, final int width) {
        tile(canvas, row.query(), MARGIN, top, Canvas.TEXT);
        final int textY = top + TILE + 2 * FRAME + 14;
        canvas.text(
                canvas.fit(row.trueClass(), BOLD_SMALL, PITCH - 4),
                MARGIN,
                textY,
                BOLD_SMALL,
                Canvas.TEXT,
                Canvas.Align.LEFT);
        final boolean answered = row.predictedClass() != null;
        final boolean right = row.trueClass().equals(row.predictedClass());
        final String answer = answered ? (right ? "✓ " : "✗ ") + row.predictedClass() : "no answer";
        canvas.text(
                canvas.fit(answer, NAME, PITCH - 4),
                MARGIN,
                textY + 14,
                NAME,
                !answered ? Canvas.MUTED : right ? Canvas.GREEN : Canvas.RED,
                Canvas.Align.LEFT);
        int same = 0;
        final int shown = Math.min(NEIGHBOURS, row.neighbours().size());
        for (int n = 0; n < shown; n++) {
            final RetrievalRow.Neighbour neighbour = row.neighbours().get(n);
            final boolean match = row.trueClass().equals(neighbour.className());
            same += match ? 1 : 0;
            final Color frame = neighbour.className() == null ? Canvas.AXIS : match ? Canvas.GREEN : Canvas.RED;
            final int x = firstNeighbourX + n * PITCH;
            tile(canvas, neighbour.image(), x, top, frame);
            final String name = neighbour.className() == null ? "-" : neighbour.className();
            canvas.text(
                    canvas.fit(name, NAME, PITCH - 6),
                    x,
                    textY,
                    NAME,
                    match ? Canvas.TEXT : Canvas.RED,
                    Canvas.Align.LEFT);
            canvas.text(
                    String.format(Locale.ROOT, "sim %.3f", neighbour.similarity()),
                    x,
                    textY + 13,
                    Canvas.SMALL,
                    Canvas.MUTED,
                    Canvas.Align.LEFT);
        }
        if (shown > 0) {
            final Color tone = same * 2 >= shown ? Canvas.GREEN : Canvas.RED;
            canvas.text(
                    same + "/" + shown,
                    width - MARGIN - SCORE_COLUMN / 2.0 + 4,
                    top + TILE / 2.0 + 10,
                    Canvas.TITLE,
                    tone,
                    Canvas.Align.CENTER);
        }
    }

    private static void tile(
            final Canvas canvas, final ReportImage image, final int x, final int y, final Color frame) {
        canvas.g().setColor(frame);
        canvas.g().fill(new Rectangle2D.Double(x, y, TILE + 2 * FRAME, TILE + 2 * FRAME));
        canvas.g().drawImage(image.toBufferedImage(), x + FRAME, y + FRAME, TILE, TILE, null);
        canvas.g().setStroke(new BasicStroke(1f));
    }
}
