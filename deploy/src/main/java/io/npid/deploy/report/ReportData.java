package io.npid.deploy.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the report shows, gathered by the run that writes it.
 *
 * @param title page title, e.g. {@code npid local on Fashion-MNIST}
 * @param subtitle one line about the data and settings
 * @param classNames the data set's class names by label (the classes listed and counted)
 * @param retrievals queries with their neighbours, in display order
 * @param curve training curve, in step order
 * @param latenciesMs query latencies in milliseconds, any order
 * @param summary summary table rows, in display order (key to value)
 * @param stream the accuracy probes of a streamed run over time, empty when the run did not stream
 * @param settings the run's effective settings (secrets hidden), shown folded under the summary; may be empty
 */
public record ReportData(
        String title,
        String subtitle,
        List<String> classNames,
        List<RetrievalRow> retrievals,
        List<CurvePoint> curve,
        double[] latenciesMs,
        Map<String, Object> summary,
        List<StreamPoint> stream,
        Map<String, String> settings) {

    /**
     * Copies the lists and keeps the summary's order.
     */
    public ReportData {
        stream = List.copyOf(stream);
        classNames = List.copyOf(classNames);
        retrievals = List.copyOf(retrievals);
        curve = List.copyOf(curve);
        latenciesMs = latenciesMs.clone();
        summary = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(summary));
        settings = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(settings));
    }

    /**
     * The data of a run that did not stream.
     *
     * @param title page title
     * @param subtitle one line about the data and settings
     * @param classNames the class names by label
     * @param retrievals queries with their neighbours
     * @param curve training curve
     * @param latenciesMs query latencies in milliseconds
     * @param summary summary table rows, in display order
     */
    public ReportData(
            final String title,
            final String subtitle,
            final List<String> classNames,
            final List<RetrievalRow> retrievals,
            final List<CurvePoint> curve,
            final double[] latenciesMs,
            final Map<String, Object> summary) {
        this(title, subtitle, classNames, retrievals, curve, latenciesMs, summary, List.of(), Map.of());
    }
}
