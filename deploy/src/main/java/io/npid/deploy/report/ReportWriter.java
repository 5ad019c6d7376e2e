package io.npid.deploy.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the report of a run: {@code index.html} with the summary table and three PNG charts beside it (four
 * for a streamed run: the online-learning curve, with its probes in a table).
 *
 * <p>The page has no scripts and no external resources, so it opens from disk and can be attached to a ticket.
 */
public final class ReportWriter {
    /** File name of the retrieval figure. */
    public static final String RETRIEVAL_PNG = "retrieval.png";
    /** File name of the training-curve chart. */
    public static final String TRAINING_PNG = "training.png";
    /** File name of the latency histogram. */
    public static final String LATENCY_PNG = "latency.png";
    /** File name of the online-learning chart (streamed runs only). */
    public static final String ONLINE_PNG = "online.png";
    /** File name of the page. */
    public static final String INDEX_HTML = "index.html";

    private ReportWriter() {}

    /**
     * Writes the report, creating the directory and replacing earlier files of the same names.
     *
     * @param dir the report directory
     * @param data what to show
     * @return the path of {@code index.html}
     * @throws IOException when a file cannot be written
     */
    public static Path write(final Path dir, final ReportData data) throws IOException {
        Files.createDirectories(dir);
        try (Canvas c = RetrievalGridChart.draw(data.retrievals())) {
            c.writePng(dir.resolve(RETRIEVAL_PNG));
        }
        try (Canvas c = TrainingCurveChart.draw(data.curve(), data.classNames().size())) {
            c.writePng(dir.resolve(TRAINING_PNG));
        }
        try (Canvas c = LatencyHistogramChart.draw(data.latenciesMs())) {
            c.writePng(dir.resolve(LATENCY_PNG));
        }
        if (!data.stream().isEmpty()) {
            try (Canvas c =
                    OnlineCurveChart.draw(data.stream(), data.classNames().size())) {
                c.writePng(dir.resolve(ONLINE_PNG));
            }
        }
        final Path index = dir.resolve(INDEX_HTML);
        Files.writeString(index, html(data), StandardCharsets.UTF_8);
        return index;
    }

    static String html(final ReportData data) {
        final StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(escape(data.title()))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1120px;color:#222}\n")
                .append("h1{font-size:1.5em;margin-bottom:.2em} p.sub{color:#666;margin-top:0}\n")
                .append("table{border-collapse:collapse;margin:1em 0} td,th{padding:.3em .9em;text-align:left;")
                .append("border-bottom:1px solid #e6e6e6} td.v{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("img{max-width:100%;border:1px solid #eee;margin:.5em 0}\n")
                .append("</style></head><body>\n<h1>")
                .append(escape(data.title()))
                .append("</h1>\n<p class=\"sub\">")
                .append(escape(data.subtitle()))
                .append("</p>\n<h2>Summary</h2>\n<table>\n");
        for (Map.Entry<String, Object> e : data.summary().entrySet()) {
            b.append("<tr><th>")
                    .append(escape(e.getKey()))
                    .append("</th><td class=\"v\">")
                    .append(escape(format(e.getValue())))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
        settings(b, data.settings());
        section(b, "Nearest neighbours", RETRIEVAL_PNG, "Test queries and their nearest training images");
        section(b, "Training", TRAINING_PNG, "Training loss and kNN accuracy over training");
        if (!data.stream().isEmpty()) {
            onlineSection(b, data.stream());
        }
        section(b, "Query latency", LATENCY_PNG, "Histogram of query latency");
        if (!data.classNames().isEmpty()) {
            b.append("<h2>Classes</h2>\n<p>");
            final List<String> names = data.classNames();
            for (int i = 0; i < names.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(i).append(" = ").append(escape(names.get(i)));
            }
            b.append("</p>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    /** The settings as a folded table: every run's figures can be traced to its configuration. */
    private static void settings(final StringBuilder b, final Map<String, String> settings) {
        if (settings.isEmpty()) {
            return;
        }
        b.append("<details><summary>Settings (")
                .append(settings.size())
                .append(", secrets hidden)</summary>\n<table>\n");
        settings.forEach((k, v) -> b.append("<tr><th>")
                .append(escape(k))
                .append("</th><td>")
                .append(escape(v))
                .append("</td></tr>\n"));
        b.append("</table>\n</details>\n");
    }

    private static void section(final StringBuilder b, final String title, final String png, final String alt) {
        b.append("<h2>")
                .append(title)
                .append("</h2>\n<img src=\"")
                .append(png)
                .append("\" alt=\"")
                .append(escape(alt))
                .append("\">\n");
    }

    /** The online-learning curve: its chart, and each probe in a table so the figures can be read exactly. */
    private static void onlineSection(final StringBuilder b, final List<StreamPoint> stream) {
        section(
                b,
                "Online learning",
                ONLINE_PNG,
                "kNN accuracy of the live answers while the training images " + "streamed in");
        b.append("<table class=\"online\">\n<tr><th>seconds</th><th>images sent</th><th>labelled</th>")
                .append("<th>in the memory bank</th><th>kNN top-1</th></tr>\n");
        for (StreamPoint p : stream) {
            b.append("<tr><td class=\"v\">")
                    .append(String.format(Locale.ROOT, "%.1f", p.seconds()))
                    .append("</td><td class=\"v\">")
                    .append(format(p.imagesSent()))
                    .append("</td><td class=\"v\">")
                    .append(format(p.imagesLabelled()))
                    .append("</td><td class=\"v\">")
                    .append(format(p.imagesStored()))
                    .append("</td><td class=\"v\">")
                    .append(Double.isNaN(p.knnTop1()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * p.knnTop1()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    static String format(final Object value) {
        if (value instanceof Double d) {
            if (d.isNaN()) {
                return "-";
            }
            return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.3g", d);
        }
        if (value instanceof Float f) {
            return format(f.doubleValue());
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", value);
        }
        return String.valueOf(value);
    }

    static String escape(final String s) {
        final StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
