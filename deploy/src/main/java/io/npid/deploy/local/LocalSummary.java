package io.npid.deploy.local;

import io.npid.deploy.process.Progress;
import io.npid.deploy.report.CurvePoint;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one {@code npid local} run, as printed, written to JSON and shown in the report.
 *
 * @param data what was ingested and queried
 * @param backbone the encoder backbone
 * @param trainImages images ingested for training
 * @param epochs epochs trained
 * @param queries queries sent
 * @param results queries that got a result
 * @param correct answered queries whose label was right
 * @param duplicates extra results (redeliveries) seen
 * @param latencyP50Ms median query latency
 * @param latencyP99Ms 99th-percentile query latency
 * @param latencyMeanMs mean query latency
 * @param ingestImagesPerSecond images per second from the first send until all were in the memory bank
 * @param producerImagesPerSecond images per second acknowledged by the broker
 * @param trainImagesPerSecond images per second trained on while stepping (first to last step)
 * @param trainSteps steps taken
 * @param trainSeconds seconds of the training phase, from the trainer's restart with training on until training
 *     was complete (model loading and bank refreshes included): the time of the closing {@code train:} line
 * @param modelVersion model version that answered the queries
 * @param totalSeconds the whole run, start to summary
 * @param curve training curve (loss per step, accuracy probes)
 * @param latencySplitP50Ms median milliseconds per stage: embed (query sent to vector), index (vector to result),
 *     deliver (result written to read by the client)
 * @param storeBytesPerImage bytes the feature store's images take per stored image (shrunk and compressed)
 * @param settings the trainer's effective settings, secrets hidden, so that the figures trace to their
 *     configuration (empty when not recorded)
 * @param vote the vote temperature the test queries were answered with, and how it was chosen
 */
public record LocalSummary(
        String data,
        String backbone,
        int trainImages,
        int epochs,
        int queries,
        int results,
        int correct,
        int duplicates,
        double latencyP50Ms,
        double latencyP99Ms,
        double latencyMeanMs,
        double ingestImagesPerSecond,
        double producerImagesPerSecond,
        double trainImagesPerSecond,
        long trainSteps,
        double trainSeconds,
        long modelVersion,
        double totalSeconds,
        List<CurvePoint> curve,
        Map<String, Double> latencySplitP50Ms,
        double storeBytesPerImage,
        Map<String, String> settings,
        LocalVote vote) {

    /** Copies the settings, sorted. */
    public LocalSummary {
        settings = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(settings));
    }

    /** @return kNN top-1 accuracy of the pipeline's answers: right answers over queries answered */
    public double knnTop1() {
        return results == 0 ? Double.NaN : (double) correct / results;
    }

    /** @return the JSON document: the keys first, then the rest */
    public Map<String, Object> toJson() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("knn_top1", knnTop1());
        m.put("queries", queries);
        m.put("results", results);
        final Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", latencyP50Ms);
        latency.put("p99", latencyP99Ms);
        latency.put("mean", latencyMeanMs);
        m.put("latency_ms", latency);
        m.put("latency_split_p50_ms", latencySplitP50Ms);
        m.put("ingest_images_per_s", ingestImagesPerSecond);
        m.put("train_images_per_s", trainImagesPerSecond);
        m.put("epochs", epochs);
        m.put("data", data);
        m.put("backbone", backbone);
        m.put("train_images", trainImages);
        m.put("correct", correct);
        m.put("duplicates", duplicates);
        m.put("producer_images_per_s", producerImagesPerSecond);
        m.put("train_steps", trainSteps);
        m.put("train_seconds", trainSeconds);
        m.put("model_version", modelVersion);
        m.put("total_seconds", totalSeconds);
        m.put("store_bytes_per_image", storeBytesPerImage);
        final List<Map<String, Object>> probes = new ArrayList<>();
        for (CurvePoint p : curve) {
            if (Double.isFinite(p.knnTop1())) {
                probes.add(Map.of("step", p.step(), "epoch", p.epoch(), "knn_top1", p.knnTop1()));
            }
        }
        m.put("knn_during_training", probes);
        m.put("vote", vote.toJson());
        m.put("settings", settings);
        return m;
    }

    /** @return the summary table of the report, in display order */
    public Map<String, Object> toTable() {
        final Map<String, Object> t = new LinkedHashMap<>();
        t.put(
                "kNN top-1 of the live pipeline's answers",
                String.format(Locale.ROOT, "%.2f%% (%,d of %,d)", 100 * knnTop1(), correct, results));
        final String probes = curve.stream()
                .filter(p -> Double.isFinite(p.knnTop1()))
                .map(p -> String.format(Locale.ROOT, "%.0f: %.1f%%", p.epoch(), 100 * p.knnTop1()))
                .collect(java.util.stream.Collectors.joining(", "));
        if (!probes.isEmpty()) {
            t.put("probes, epoch: kNN top-1 (first test queries)", probes);
        }
        t.put(
                "queries sent / answered / duplicates",
                String.format(Locale.ROOT, "%,d / %,d / %,d", queries, results, duplicates));
        t.put(
                "query latency p50 / p99 / mean",
                String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", latencyP50Ms, latencyP99Ms, latencyMeanMs));
        if (!latencySplitP50Ms.isEmpty()) {
            t.put(
                    "median time in embedder / indexer / delivery",
                    String.format(
                            Locale.ROOT,
                            "%.1f / %.1f / %.1f ms",
                            latencySplitP50Ms.get("embed"),
                            latencySplitP50Ms.get("index"),
                            latencySplitP50Ms.get("deliver")));
        }
        t.put("ingest (until all in the memory bank)", Progress.rate(ingestImagesPerSecond) + " images/s");
        t.put(
                "training",
                String.format(
                        Locale.ROOT,
                        "%,d steps in %s (%s steps/s, bank refreshes included); " + "%s images/s while stepping",
                        trainSteps,
                        Progress.duration(trainSeconds),
                        Progress.rate(trainSeconds > 0 ? trainSteps / trainSeconds : Double.NaN),
                        Progress.rate(trainImagesPerSecond)));
        t.put("data", data);
        t.put(
                "backbone / epochs / training images",
                String.format(Locale.ROOT, "%s / %d / %,d", backbone, epochs, trainImages));
        t.put("model version answering", modelVersion);
        t.put(
                "vote temperature T",
                vote.validationImages() > 0
                        ? String.format(
                                Locale.ROOT,
                                "%s, chosen on %,d held-out training images (validation %.1f%%; %.1f%% at the "
                                        + "paper's 0.07)",
                                vote.temperature(),
                                vote.validationImages(),
                                100 * vote.validationTop1(),
                                100 * vote.paperTop1())
                        : vote.temperature() + " (" + vote.chosenBy() + ")");
        t.put("feature store, per image", String.format(Locale.ROOT, "%,.0f bytes", storeBytesPerImage));
        t.put("whole run", String.format(Locale.ROOT, "%.0f s", totalSeconds));
        return t;
    }

    /**
     * Prints the summary for people.
     *
     * @param out where to print
     */
    public void print(final PrintWriter out) {
        out.println();
        out.println("npid local: summary");
        final Map<String, Object> table = toTable();
        final int width = table.keySet().stream().mapToInt(String::length).max().orElse(0);
        table.forEach((k, v) -> out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", k, v));
        out.flush();
    }
}
