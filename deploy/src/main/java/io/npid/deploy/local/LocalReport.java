package io.npid.deploy.local;

import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.report.ReportData;
import io.npid.deploy.report.RetrievalRow;
import io.npid.deploy.report.StreamPoint;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.Neighbour;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns the outcome of a local run into the report's data: which queries to show, with which pictures. */
final class LocalReport {
    /** Rows of the retrieval figure: one query per class, up to this many. */
    static final int MAX_ROWS = 12;

    private static final int NEIGHBOURS = 10;

    private LocalReport() {}

    /**
     * Builds the report data.
     *
     * @param data the run's images
     * @param trainIndexById training image index by ingested id
     * @param outcomes the final queries' outcomes, in test-set order
     * @param summary the figures
     * @param stream the accuracy probes while the training images streamed in (empty when they did not)
     * @return what the report shows
     */
    static ReportData build(
            final LocalDataSet data,
            final Map<String, Integer> trainIndexById,
            final List<QueryOutcome> outcomes,
            final LocalSummary summary,
            final List<StreamPoint> stream) {
        final String[] names = data.classNames().toArray(String[]::new);
        final RetrievalRow[] byClass = new RetrievalRow[names.length];
        int shown = 0;
        // the first answered query of each class, so every class gets a row; classes named as the results name them
        for (int i = 0; i < outcomes.size() && shown < MAX_ROWS; i++) {
            final ClassificationResult r = outcomes.get(i).result();
            final int truth = data.test().label(i);
            if (r == null || r.getNeighbours().isEmpty() || byClass[truth] != null) {
                continue;
            }
            final List<RetrievalRow.Neighbour> neighbours = new ArrayList<>();
            for (Neighbour n : r.getNeighbours()
                    .subList(0, Math.min(NEIGHBOURS, r.getNeighbours().size()))) {
                final Integer index = trainIndexById.get(n.getId());
                if (index != null) {
                    neighbours.add(new RetrievalRow.Neighbour(
                            data.train().thumbnail(index), n.getClassName(), n.getSimilarity()));
                }
            }
            byClass[truth] = new RetrievalRow(data.test().thumbnail(i), names[truth], r.getClassName(), neighbours);
            shown++;
        }
        final List<RetrievalRow> rows = java.util.Arrays.stream(byClass)
                .filter(java.util.Objects::nonNull)
                .toList();
        final double[] latencies = outcomes.stream()
                .filter(QueryOutcome::answered)
                .mapToDouble(QueryOutcome::latencyMs)
                .toArray();
        final String subtitle = data.description() + "; " + summary.backbone() + " backbone, " + summary.epochs()
                + " epoch(s); queries streamed through the embedded Kafka broker, embedder and indexer.";
        return new ReportData(
                "npid local on " + data.name(),
                subtitle,
                data.classNames(),
                rows,
                summary.curve(),
                latencies,
                summary.toTable(),
                stream,
                summary.settings());
    }
}
