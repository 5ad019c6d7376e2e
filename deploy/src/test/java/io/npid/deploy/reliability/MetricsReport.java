package io.npid.deploy.reliability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads Prometheus text scraped from the npid processes and says which of issue 7's meters each one shows. */
final class MetricsReport {
    /** Issue 7's meters and the Prometheus names that carry them, by process. */
    private static final Map<String, List<String>> WANTED = new LinkedHashMap<>();

    static {
        WANTED.put("ingest rate (trainer)", List.of("npid_ingest_images_total"));
        WANTED.put("training rate (trainer)", List.of("npid_train_steps_total", "npid_train_images_total"));
        WANTED.put("consumer lag (trainer)", List.of("npid_trainer_input_lag"));
        WANTED.put("consumer lag (embedder)", List.of("kafka_consumer_fetch_manager_records_lag"));
        WANTED.put("consumer lag (indexer)", List.of("records_lag"));
        WANTED.put("dead letters by reason", List.of("npid_dead_letters_total"));
        WANTED.put("bank size (trainer)", List.of("npid_bank_size"));
        WANTED.put("feature staleness", List.of("npid_feature_staleness", "npid_embedder_model_age"));
        // Kafka Streams' own end-to-end latency of the indexer's nodes: at the results sink it is the time from the
        // query vector's timestamp (the embedder's send) to the answer
        WANTED.put("query latency", List.of("npid_query_latency", "npid_indexer_query_latency", "record_e2e_latency"));
        WANTED.put("embedder encode time", List.of("npid_embedder_encode_seconds"));
    }

    private MetricsReport() {}

    /**
     * Says, for each wanted meter, which process's endpoint shows it.
     *
     * @param trainer the trainer's scrape
     * @param embedder the embedder's scrape
     * @param indexer the indexer's scrape
     * @return one line per meter
     */
    static String of(final String trainer, final String embedder, final String indexer) {
        final StringBuilder out = new StringBuilder("Prometheus endpoints of npid trainer / embedder / indexer:\n");
        WANTED.forEach((meter, names) -> {
            final StringBuilder where = new StringBuilder();
            for (final String name : names) {
                if (trainer.contains(name)) {
                    where.append(" trainer:").append(name);
                }
                if (embedder.contains(name)) {
                    where.append(" embedder:").append(name);
                }
                if (indexer.contains(name)) {
                    where.append(" indexer:").append(name);
                }
            }
            out.append("  ")
                    .append(meter)
                    .append(" ->")
                    .append(where.length() == 0 ? " MISSING" : where)
                    .append('\n');
        });
        return out.toString();
    }

    /**
     * The value of the first sample of a meter.
     *
     * @param scrape Prometheus text
     * @param name the sample's name
     * @return its value, or NaN when absent
     */
    static double value(final String scrape, final String name) {
        for (final String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }
}
