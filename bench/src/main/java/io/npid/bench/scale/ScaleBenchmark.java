package io.npid.bench.scale;

import io.npid.bench.trainer.TrainBenchmark;
import io.npid.broker.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code npid bench scale}: the system at N rows. For each index form, N synthetic 128-d unit features through the
 * real indexer topology on the embedded broker ({@link ScaleIndexerRun}); then the trainer's step and refresh cost
 * with a bank of N rows for each objective, measured by {@link TrainBenchmark} (the same code as
 * {@code npid bench train}).
 */
public final class ScaleBenchmark {

    private static final int DIM = 128;

    /**
     * What to measure.
     *
     * @param rows N
     * @param partitions partitions of the indexer's topics
     * @param forms index forms to measure; empty for the indexer's default (exact) only, [none] for no indexer
     * @param indexerSettings further indexer settings (npid.* or Kafka Streams properties)
     * @param k neighbours per query
     * @param queries queries of the open-loop latency measurement
     * @param rate queries per second sent
     * @param objectives trainer objectives to measure; empty for none
     * @param trainSteps measured training steps per objective
     * @param trainThreads PyTorch threads (0 = all cores)
     * @param refreshRows rows a timed paused refresh re-embeds (its rate gives the refresh time at N)
     * @param trainSettings further learner settings (npid.*)
     */
    public record Options(
            int rows,
            int partitions,
            List<String> forms,
            Map<String, String> indexerSettings,
            int k,
            int queries,
            int rate,
            List<String> objectives,
            int trainSteps,
            int trainThreads,
            int refreshRows,
            Map<String, String> trainSettings) {}

    private ScaleBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param options what to measure
     * @param err progress lines
     * @return the figures: {@code indexer} per form, {@code trainer} per objective
     * @throws Exception when the broker, the indexer, a client or the trainer fails
     */
    public static Map<String, Object> run(final Options options, final PrintWriter err) throws Exception {
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "scale");
        report.put("rows", options.rows());
        report.put("dim", DIM);
        report.put("k", options.k());
        report.put("available_processors", Runtime.getRuntime().availableProcessors());
        report.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        report.put(
                "gc",
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName)
                        .toList());
        report.put("indexer_settings", options.indexerSettings());
        final List<String> forms = new ArrayList<>(options.forms());
        final boolean skip = forms.equals(List.of("none"));
        if (forms.isEmpty()) {
            forms.add(null); // the indexer's default form
        }
        if (!skip) {
            final List<Map<String, Object>> runs = new ArrayList<>();
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(null)) {
                for (final String form : forms) {
                    err.printf(
                            Locale.ROOT,
                            "indexer %s: %,d rows, %d partitions%n",
                            form == null ? "exact" : form,
                            options.rows(),
                            options.partitions());
                    runs.add(new ScaleIndexerRun(options, broker.bootstrapServers(), broker.logDir(), err).run(form));
                }
            }
            report.put("indexer", runs);
        }
        final List<Map<String, Object>> trainer = new ArrayList<>();
        if (!options.objectives().isEmpty()) {
            // the last form's last restart may have left an HNSW build running; it would share the trainer's core
            GraphBuilds.awaitIdle(Duration.ofMinutes(5).plusMillis(options.rows() * 2L));
        }
        for (final String objective : options.objectives()) {
            err.printf(Locale.ROOT, "trainer %s: bank of %,d rows%n", objective, options.rows());
            trainer.add(train(options, objective));
        }
        report.put("trainer", trainer);
        return report;
    }

    private static Map<String, Object> train(final Options options, final String objective)
            throws InterruptedException {
        final TrainBenchmark.Options d = TrainBenchmark.Options.defaults();
        final TrainBenchmark.Result r = TrainBenchmark.run(new TrainBenchmark.Options(
                d.backbone(),
                objective,
                d.batch(),
                options.trainThreads(),
                options.trainSteps(),
                d.warmup(),
                options.rows(),
                d.channels(),
                d.size(),
                d.similarity(),
                options.trainSettings(),
                options.refreshRows()));
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("objective", objective);
        figures.put("objective_run", r.objectiveRun());
        figures.put("bank_rows", options.rows());
        figures.put("backbone", d.backbone());
        figures.put("batch", d.batch());
        figures.put("threads", r.threadsUsed());
        figures.put("steps", options.trainSteps());
        figures.put("images_per_s", r.imagesPerSecond());
        figures.put("cpu_images_per_s", r.cpuImagesPerSecond());
        figures.put("median_step_ms", r.medianStepMs());
        figures.put("median_step_cpu_ms", r.medianStepCpuMs());
        figures.put("phase_ms", r.phaseMs());
        figures.put("bank_bytes_per_row", r.bankBytesPerRow());
        figures.put("bank_bytes", (long) r.bankBytesPerRow() * options.rows());
        if (options.refreshRows() > 0) {
            figures.put("refresh_rows_timed", options.refreshRows());
            figures.put("refresh_rows_per_s", r.refreshRowsPerSecond());
            // a paused refresh re-embeds every row: its time at N follows from the measured rate
            figures.put("refresh_s_at_rows", options.rows() / r.refreshRowsPerSecond());
            figures.put("spread_step_ms", r.spreadStepMs());
            figures.put("spread_step_cpu_ms", r.spreadStepCpuMs());
        }
        return figures;
    }

    /**
     * The synthetic feature of a row: a seeded Gaussian direction, normalised (what the trainer publishes). Made
     * from the row number alone, so a million rows need no array and a query can ask for any row.
     *
     * @param row the row
     * @param out receives the 128 values
     */
    static void vector(final int row, final float[] out) {
        final SplittableRandom random = new SplittableRandom(42 + row * 0x9E3779B97F4A7C15L);
        double norm = 0;
        for (int d = 0; d < DIM; d++) {
            final float v = (float) random.nextGaussian();
            out[d] = v;
            norm += (double) v * v;
        }
        final float inverse = (float) (1.0 / Math.sqrt(norm));
        for (int d = 0; d < DIM; d++) {
            out[d] *= inverse;
        }
    }

    /**
     * The image id of a row.
     *
     * @param row the row
     * @return its id
     */
    static String id(final int row) {
        return String.format(Locale.ROOT, "img-%08d", row);
    }
}
