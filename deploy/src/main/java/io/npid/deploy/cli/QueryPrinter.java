package io.npid.deploy.cli;

import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.client.SkippedImageException;
import io.npid.schemas.event.ClassScore;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.Neighbour;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints query answers for people (a few lines each) or as JSON-ready maps (one JSON object per image). Classes are
 * named by the names the results carry, else by {@code --class-names}; neighbours by their image ids (for ingested
 * files, their paths).
 */
final class QueryPrinter {
    private final List<String> names;
    private final int neighbours;

    /**
     * Creates the printer.
     *
     * @param names names by label for results without class names, possibly empty
     * @param neighbours how many neighbours to show per answer
     */
    QueryPrinter(final List<String> names, final int neighbours) {
        this.names = names;
        this.neighbours = neighbours;
    }

    /**
     * Prints one answer.
     *
     * @param out where to
     * @param query the image, as the user knows it (a file path)
     * @param truth the image's class when its source names one (class folder, data set), else null
     * @param outcome what came back
     */
    void print(final PrintWriter out, final String query, final String truth, final QueryOutcome outcome) {
        final ClassificationResult r = outcome.result();
        if (r == null) {
            out.printf("%s  ->  no answer%n", query);
            return;
        }
        final String predicted = predicted(r);
        final String mark =
                truth == null || predicted == null ? "" : truth.equals(predicted) ? "  right" : "  wrong, is " + truth;
        out.printf(
                Locale.ROOT,
                "%s  ->  %s  (%s, model v%d, %.1f ms)%s%n",
                query,
                predicted == null ? "-" : predicted,
                r.getStatus(),
                r.getModelVersion(),
                outcome.latencyMs(),
                mark);
        if (r.getError() != null) {
            out.printf("    error      %s%n", r.getError());
        }
        final StringBuilder scores = new StringBuilder();
        final double total = total(r);
        sortedScores(r).stream()
                .limit(5)
                .forEach(s -> scores.append(String.format(
                        Locale.ROOT,
                        "%s%s %.0f%%",
                        scores.length() == 0 ? "" : ", ",
                        ClassNames.name(s.getClassName(), names, s.getLabel()),
                        100 * s.getScore() / total)));
        if (scores.length() > 0) {
            out.printf("    vote       %s%n", scores);
        }
        final StringBuilder near = new StringBuilder();
        r.getNeighbours().stream()
                .limit(neighbours)
                .forEach(n -> near.append(String.format(
                        Locale.ROOT,
                        "%s%s (%s) %.3f",
                        near.length() == 0 ? "" : ", ",
                        n.getId(),
                        neighbourClass(n),
                        n.getSimilarity())));
        if (near.length() > 0) {
            out.printf("    neighbours %s%n", near);
        }
    }

    /**
     * Prints an image that was not sent.
     *
     * @param out where to
     * @param skip the file and why
     */
    void printSkipped(final PrintWriter out, final SkippedImageException skip) {
        out.printf("%s  ->  skipped: %s%n", skip.location(), skip.why());
    }

    /**
     * One answer as a JSON-ready map.
     *
     * @param query the image, as the user knows it
     * @param truth the image's class when known, else null
     * @param outcome what came back
     * @return the map, in a stable key order
     */
    Map<String, Object> toJson(final String query, final String truth, final QueryOutcome outcome) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("query", query);
        m.put("queryId", outcome.queryId());
        if (truth != null) {
            m.put("trueClassName", truth);
        }
        final ClassificationResult r = outcome.result();
        if (r == null) {
            m.put("status", "NO_ANSWER");
            return m;
        }
        m.put("status", r.getStatus().toString());
        m.put("label", r.getLabel());
        m.put("className", predicted(r));
        final List<Map<String, Object>> scores = new ArrayList<>();
        final double total = total(r);
        for (ClassScore s : sortedScores(r)) {
            final Map<String, Object> score = new LinkedHashMap<>();
            score.put("label", s.getLabel());
            score.put("className", ClassNames.name(s.getClassName(), names, s.getLabel()));
            score.put("score", s.getScore());
            score.put("share", s.getScore() / total);
            scores.add(score);
        }
        m.put("scores", scores);
        final List<Map<String, Object>> near = new ArrayList<>();
        for (Neighbour n : r.getNeighbours()
                .subList(0, Math.min(neighbours, r.getNeighbours().size()))) {
            final Map<String, Object> neighbour = new LinkedHashMap<>();
            neighbour.put("id", n.getId());
            neighbour.put("label", n.getLabel());
            neighbour.put("className", neighbourClass(n));
            neighbour.put("similarity", n.getSimilarity());
            near.add(neighbour);
        }
        m.put("neighbours", near);
        m.put("modelVersion", r.getModelVersion());
        m.put("latencyMs", outcome.latencyMs());
        m.put("duplicates", outcome.duplicates());
        if (r.getError() != null) {
            m.put("error", r.getError());
        }
        return m;
    }

    /**
     * An image that was not sent, as a JSON-ready map.
     *
     * @param skip the file and why
     * @return the map
     */
    Map<String, Object> skippedJson(final SkippedImageException skip) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("query", skip.location());
        m.put("status", "SKIPPED");
        m.put("reason", skip.reason().code());
        m.put("detail", skip.getMessage());
        return m;
    }

    /** The answer's class name, or null when it has none (no vote). */
    private String predicted(final ClassificationResult r) {
        if (r.getClassName() != null) {
            return r.getClassName();
        }
        return r.getLabel() == null ? null : ClassNames.name(names, r.getLabel());
    }

    private String neighbourClass(final Neighbour n) {
        return ClassNames.name(n.getClassName(), names, n.getLabel());
    }

    /** The vote's total weight: class scores are sums of exp(sim / T), so shares read better than raw sums. */
    private static double total(final ClassificationResult r) {
        return r.getScores().stream().mapToDouble(ClassScore::getScore).sum();
    }

    private static List<ClassScore> sortedScores(final ClassificationResult r) {
        final List<ClassScore> scores = new ArrayList<>(r.getScores());
        scores.sort(Comparator.comparingDouble(ClassScore::getScore).reversed());
        return scores;
    }
}
