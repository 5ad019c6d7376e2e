package io.npid.deploy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    @TempDir
    Path dir;

    @Test
    void shouldWriteIndexAndThreeChartsFromFakeRun() throws IOException {
        final ReportData data = fakeRun(new Random(7));
        // kept under target/ so the pictures can be looked at after the build
        final Path sample = Path.of("target", "report-sample");

        final Path index = ReportWriter.write(sample, data);

        final String html = Files.readString(index);
        assertTrue(html.contains("<img src=\"retrieval.png\""), html);
        assertTrue(html.contains("<img src=\"training.png\""), html);
        assertTrue(html.contains("<img src=\"latency.png\""), html);
        assertTrue(html.contains("T-shirt/top"), "class names listed");
        assertTrue(html.contains("0.812"), "summary value formatted: " + html);
        final BufferedImage grid =
                ImageIO.read(sample.resolve(ReportWriter.RETRIEVAL_PNG).toFile());
        final BufferedImage training =
                ImageIO.read(sample.resolve(ReportWriter.TRAINING_PNG).toFile());
        final BufferedImage latency =
                ImageIO.read(sample.resolve(ReportWriter.LATENCY_PNG).toFile());
        assertEquals(TrainingCurveChart.WIDTH, training.getWidth());
        assertEquals(LatencyHistogramChart.WIDTH, latency.getWidth());
        assertTrue(grid.getHeight() > data.retrievals().size() * 64, "one row per query, got " + grid.getHeight());
    }

    @Test
    void shouldDrawTheOnlineCurveAndListEveryProbeOfAStreamedRun() throws IOException {
        final ReportData run = fakeRun(new Random(7));
        final List<StreamPoint> probes = List.of(
                new StreamPoint(60.2, 6_000, 3_010, 5_990, 0.415),
                new StreamPoint(120.4, 12_000, 6_020, 11_985, 0.62),
                new StreamPoint(180.1, 18_000, 9_001, 18_000, 0.735));
        final ReportData streamed = new ReportData(
                run.title(),
                run.subtitle(),
                run.classNames(),
                run.retrievals(),
                run.curve(),
                run.latenciesMs(),
                run.summary(),
                probes,
                Map.of());

        final Path index = ReportWriter.write(dir, streamed);

        final String html = Files.readString(index);
        assertTrue(html.contains("<h2>Online learning</h2>") && html.contains("<img src=\"online.png\""), html);
        for (String cell : List.of(
                "60.2", "6,000", "3,010", "5,990", "41.5%", "120.4", "11,985", "62.0%", "180.1", "9,001", "73.5%")) {
            assertTrue(html.contains("<td class=\"v\">" + cell + "</td>"), cell + " in the probes' table: " + html);
        }
        final BufferedImage online =
                ImageIO.read(dir.resolve(ReportWriter.ONLINE_PNG).toFile());
        assertEquals(OnlineCurveChart.WIDTH, online.getWidth());
        // each probe's marker sits at (seconds, accuracy) of the accuracy panel, the same layout the chart uses
        final Plot accuracy = new Plot(
                new Canvas(1, 1),
                new java.awt.Rectangle(0, 0, OnlineCurveChart.WIDTH / 2, OnlineCurveChart.HEIGHT),
                NiceScale.of(0, 180.1, 8),
                new NiceScale(0, 100, 20));
        for (StreamPoint p : probes) {
            assertEquals(
                    Canvas.ORANGE.getRGB(),
                    online.getRGB((int) Math.round(accuracy.px(p.seconds())), (int)
                            Math.round(accuracy.py(100 * p.knnTop1()))),
                    "accuracy marker of " + p);
        }
        final Plot images = new Plot(
                new Canvas(1, 1),
                new java.awt.Rectangle(
                        OnlineCurveChart.WIDTH / 2, 0, OnlineCurveChart.WIDTH / 2, OnlineCurveChart.HEIGHT),
                NiceScale.of(0, 180.1, 8),
                NiceScale.of(0, 18_000, 6));
        assertEquals(
                Canvas.BLUE.getRGB(),
                online.getRGB((int) Math.round(images.px(60.2)), (int) Math.round(images.py(5_990))),
                "images stored at the first probe");
        assertEquals(
                Canvas.GREEN.getRGB(),
                online.getRGB((int) Math.round(images.px(120.4)), (int) Math.round(images.py(6_020))),
                "images labelled at the second probe");
        assertTrue(!ReportWriter.html(run).contains("Online learning"), "no section for a run that did not stream");
    }

    @Test
    void shouldFrameSameClassNeighboursGreenAndOthersRed() {
        final ReportImage img = glyph(0, new Random(1));
        final RetrievalRow row = new RetrievalRow(
                img,
                "Dress",
                "Dress",
                List.of(
                        new RetrievalRow.Neighbour(img, "Dress", 0.9f),
                        new RetrievalRow.Neighbour(img, "dress", 0.8f),
                        new RetrievalRow.Neighbour(img, null, 0.7f)));

        final BufferedImage picture = RetrievalGridChart.draw(List.of(row)).image();

        // the frame's top-left pixel of neighbour 1 and 2 (layout constants of RetrievalGridChart)
        final int firstX = 20 + 84 + 30;
        final int top = 86;
        assertEquals(new Color(0x2c, 0xa0, 0x2c).getRGB(), picture.getRGB(firstX + 1, top + 1), "green frame");
        assertEquals(
                new Color(0xd6, 0x27, 0x28).getRGB(),
                picture.getRGB(firstX + 84 + 1, top + 1),
                "red frame: another name is another class");
        assertEquals(Canvas.AXIS.getRGB(), picture.getRGB(firstX + 2 * 84 + 1, top + 1), "grey frame: unlabelled");
    }

    @Test
    void shouldDrawEmptyChartsWithoutFailing() throws IOException {
        final ReportData empty =
                new ReportData("empty", "nothing ran", List.of(), List.of(), List.of(), new double[0], Map.of());

        ReportWriter.write(dir, empty);

        assertTrue(Files.size(dir.resolve(ReportWriter.LATENCY_PNG)) > 0);
    }

    @Test
    void shouldEscapeHtmlInTitleAndSummary() {
        final ReportData data =
                new ReportData("a<b", "c&d", List.of(), List.of(), List.of(), new double[0], Map.of("<k>", "\"v\""));

        final String html = ReportWriter.html(data);

        assertTrue(
                html.contains("a&lt;b")
                        && html.contains("c&amp;d")
                        && html.contains("&lt;k&gt;")
                        && html.contains("&quot;v&quot;"),
                html);
    }

    @Test
    void shouldFoldTheSettingsUnderTheSummary() {
        final ReportData data = new ReportData(
                "run",
                "settings",
                List.of(),
                List.of(),
                List.of(),
                new double[0],
                Map.of("k", "v"),
                List.of(),
                Map.of("npid.low.dim", "128", "npid.<odd>", "x&y"));

        final String html = ReportWriter.html(data);

        assertTrue(html.contains("<details><summary>Settings (2, secrets hidden)</summary>"), html);
        assertTrue(html.contains("<tr><th>npid.low.dim</th><td>128</td></tr>"), html);
        assertTrue(html.contains("npid.&lt;odd&gt;") && html.contains("x&amp;y"), html);
        assertTrue(html.indexOf("<h2>Summary</h2>") < html.indexOf("<details>"), "after the summary table");
        assertFalse(
                ReportWriter.html(
                                new ReportData("run", "none", List.of(), List.of(), List.of(), new double[0], Map.of()))
                        .contains("<details>"),
                "no empty section");
    }

    /** A fake run: glyph images, a decaying loss, a rising kNN accuracy and log-normal latencies. */
    static ReportData fakeRun(final Random random) {
        final List<RetrievalRow> rows = new ArrayList<>();
        for (int c = 0; c < CLASSES.size(); c++) {
            final List<RetrievalRow.Neighbour> neighbours = new ArrayList<>();
            float sim = 0.97f;
            for (int n = 0; n < 10; n++) {
                final int label = random.nextDouble() < 0.8 ? c : random.nextInt(CLASSES.size());
                neighbours.add(new RetrievalRow.Neighbour(glyph(label, random), CLASSES.get(label), sim));
                sim -= 0.01f + 0.02f * random.nextFloat();
            }
            final int predicted = random.nextDouble() < 0.85 ? c : (c + 1) % CLASSES.size();
            rows.add(new RetrievalRow(glyph(c, random), CLASSES.get(c), CLASSES.get(predicted), neighbours));
        }
        final List<CurvePoint> curve = new ArrayList<>();
        for (int step = 0; step <= 1500; step += 10) {
            final double epoch = step / 469.0;
            final double loss = 9.0 * Math.exp(-step / 500.0) + 2.0 + 0.4 * random.nextGaussian();
            final double knn = step % 150 == 0 ? 0.1 + 0.7 * (1 - Math.exp(-step / 400.0)) : Double.NaN;
            curve.add(new CurvePoint(step, epoch, loss, knn));
        }
        final double[] latencies = new double[2000];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = Math.exp(Math.log(18) + 0.35 * random.nextGaussian());
        }
        latencies[0] = 900;
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("kNN top-1 (live pipeline)", 0.812);
        summary.put("queries answered", 2000L);
        summary.put("latency p50 (ms)", Percentiles.of(latencies, 50));
        summary.put("ingest (images/s)", 5321.4);
        return new ReportData(
                "npid local on Fashion-MNIST (fake)",
                "fake data for the report test",
                CLASSES,
                rows,
                curve,
                latencies,
                summary);
    }

    /** A 28x28 grey picture of a shape that depends on the class, jittered. */
    static ReportImage glyph(final int label, final Random random) {
        final BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        final Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        final int o = random.nextInt(5) - 2;
        switch (label % 5) {
            case 0 -> g.fillOval(6 + o, 6, 16, 16);
            case 1 -> g.fillRect(7, 7 + o, 14, 14);
            case 2 -> g.fillPolygon(new int[] {14 + o, 4 + o, 24 + o}, new int[] {4, 24, 24}, 3);
            case 3 -> {
                g.fillRect(12 + o, 4, 4, 20);
                g.fillRect(4, 12 + o, 20, 4);
            }
            default -> g.drawOval(5 + o, 5, 18, 18);
        }
        if (label >= 5) {
            g.fillRect(2, 2, 5, 5);
        }
        g.dispose();
        final byte[] pixels = new byte[28 * 28];
        img.getRaster().getDataElements(0, 0, 28, 28, pixels);
        return new ReportImage(28, 28, 1, pixels);
    }
}
