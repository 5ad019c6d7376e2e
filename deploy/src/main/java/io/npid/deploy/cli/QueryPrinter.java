package io.npid.deploy.cli;

import io.npid.deploy.client.QueryOutcome;
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

/** Prints query answers for people (a few lines each) or as JSON-ready maps. */
final class QueryPrinter {
    private final List<String> names;
    private final int neighbours;

    QueryPrinter(final List<String> names, final int neighbours) {
        this.names = names;
        this.neighbours = neighbours;
    }

    void print(final PrintWriter out, final String query, final Integer truth, final QueryOutcome outcome) {
        final ClassificationResult r = outcome.result();
        if (r == null) {
            out.printf("%s  ->  no answer%n", query);
            return;
        }
        final String mark = truth == null || r.getLabel() == null ? "" : r.getLabel().equals(truth) ? "  right"
            : "  wrong, is " + ClassNames.name(names, truth);
        out.printf(Locale.ROOT, "%s  ->  %s %s  (%s, model v%d, %.1f ms)%s%n", query,
            r.getLabel() == null ? "-" : r.getLabel(), ClassNames.name(names, r.getLabel()), r.getStatus(),
            r.getModelVersion(), outcome.latencyMs(), mark);
        if (r.getError() != null) {
            out.printf("    error      %s%n", r.getError());
        }
        final StringBuilder scores = new StringBuilder();
        final double total = total(r);
        sortedScores(r).stream().limit(5).forEach(s -> scores.append(String.format(Locale.ROOT, "%s%s %.0f%%",
            scores.length() == 0 ? "" : ", ", ClassNames.name(names, s.getLabel()), 100 * s.getScore() / total)));
        if (scores.length() > 0) {
            out.printf("    vote       %s%n", scores);
        }
        final StringBuilder near = new StringBuilder();
        r.getNeighbours().stream().limit(neighbours).forEach(n -> near.append(String.format(Locale.ROOT,
            "%s%s (%s) %.3f", near.length() == 0 ? "" : ", ", n.getId(), ClassNames.name(names, n.getLabel()),
            n.getSimilarity())));
        if (near.length() > 0) {
            out.printf("    neighbours %s%n", near);
        }
    }

    Map<String, Object> toJson(final String query, final Integer truth, final QueryOutcome outcome) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("query", query);
        m.put("queryId", outcome.queryId());
        if (truth != null) {
            m.put("trueLabel", truth);
        }
        final ClassificationResult r = outcome.result();
        if (r == null) {
            m.put("status", "NO_ANSWER");
            return m;
        }
        m.put("status", r.getStatus().toString());
        m.put("label", r.getLabel());
        m.put("className", r.getLabel() == null ? null : ClassNames.name(names, r.getLabel()));
        final List<Map<String, Object>> scores = new ArrayList<>();
        final double total = total(r);
        for (ClassScore s : sortedScores(r)) {
            final Map<String, Object> score = new LinkedHashMap<>();
            score.put("label", s.getLabel());
            score.put("className", ClassNames.name(names, s.getLabel()));
            score.put("score", s.getScore());
            score.put("share", s.getScore() / total);
            scores.add(score);
        }
        m.put("scores", scores);
        final List<Map<String, Object>> near = new ArrayList<>();
        for (Neighbour n : r.getNeighbours().subList(0, Math.min(neighbours, r.getNeighbours().size()))) {
            final Map<String, Object> neighbour = new LinkedHashMap<>();
            neighbour.put("id", n.getId());
            neighbour.put("label", n.getLabel());
            neighbour.put("className", ClassNames.name(names, n.getLabel()));
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
