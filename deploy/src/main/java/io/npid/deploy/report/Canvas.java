package io.npid.deploy.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A white RGB picture with antialiased drawing and the report's fonts and colours, written as PNG.
 *
 * <p>Runs headless: nothing here needs a display.
 */
final class Canvas implements AutoCloseable {
    static final Color TEXT = new Color(0x22, 0x22, 0x22);
    static final Color MUTED = new Color(0x6b, 0x6b, 0x6b);
    static final Color GRID = new Color(0xe8, 0xe8, 0xe8);
    static final Color AXIS = new Color(0x9a, 0x9a, 0x9a);
    static final Color BLUE = new Color(0x1f, 0x77, 0xb4);
    static final Color LIGHT_BLUE = new Color(0xa6, 0xc8, 0xe6);
    static final Color ORANGE = new Color(0xe6, 0x6a, 0x00);
    static final Color GREEN = new Color(0x2c, 0xa0, 0x2c);
    static final Color RED = new Color(0xd6, 0x27, 0x28);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    /** Horizontal text anchor. */
    enum Align {
        LEFT,
        CENTER,
        RIGHT
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final BufferedImage image;
    private final Graphics2D g;

    Canvas(final int width, final int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    Graphics2D g() {
        return g;
    }

    int width() {
        return image.getWidth();
    }

    int height() {
        return image.getHeight();
    }

    /**
     * Draws text with its baseline at y.
     *
     * @return the text's width in pixels
     */
    int text(final String s, final double x, final double y, final Font font, final Color color, final Align align) {
        g.setFont(font);
        g.setColor(color);
        final FontMetrics fm = g.getFontMetrics();
        final int w = fm.stringWidth(s);
        final double left = switch (align) {
            case LEFT -> x;
            case CENTER -> x - w / 2.0;
            case RIGHT -> x - w;
        };
        g.drawString(s, (float) left, (float) y);
        return w;
    }

    /** Draws text turned 90 degrees anticlockwise, centred on (x, y): a y-axis title. */
    void verticalText(final String s, final double x, final double y, final Font font, final Color color) {
        final Graphics2D r = (Graphics2D) g.create();
        r.translate(x, y);
        r.rotate(-Math.PI / 2);
        r.setFont(font);
        r.setColor(color);
        r.drawString(s, -r.getFontMetrics().stringWidth(s) / 2f, 0f);
        r.dispose();
    }

    /** Shortens text with an ellipsis until it fits the width. */
    String fit(final String s, final Font font, final int maxWidth) {
        final FontMetrics fm = g.getFontMetrics(font);
        if (fm.stringWidth(s) <= maxWidth) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > maxWidth) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    void stroke(final Color color, final float width, final boolean dashed) {
        g.setColor(color);
        g.setStroke(
                dashed
                        ? new BasicStroke(
                                width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {5f, 4f}, 0f)
                        : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }

    void writePng(final Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    BufferedImage image() {
        return image;
    }

    @Override
    public void close() {
        g.dispose();
    }
}
