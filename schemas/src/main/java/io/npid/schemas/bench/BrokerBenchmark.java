package io.npid.schemas.bench;

import io.npid.schemas.Topics;
import io.npid.schemas.kafka.EmbeddedKafkaBroker;
import io.npid.schemas.kafka.TopicAdmin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * Measures the embedded KRaft broker: start on a fresh directory (format included) until describeCluster
 * answers, creating all eight topics, stop, and start again on the same directory.
 *
 * <p>Usage: {@code BrokerBenchmark [--runs N] [--json PATH]}. The first run includes class loading and JIT
 * warm-up of the broker code in this JVM, which is what {@code npid local} pays once.
 */
public final class BrokerBenchmark {

    private BrokerBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code [--runs N] [--json PATH]}
     * @throws Exception if a broker fails or the JSON cannot be written
     */
    public static void main(final String[] args) throws Exception {
        final BenchArgs parsed = BenchArgs.parse(args, Map.of("--runs", "3"));
        final int runs = Integer.parseInt(parsed.get("--runs"));
        final List<Object> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            results.add(oneRun(run));
        }
        final JsonReport report = new JsonReport()
                .put("benchmark", "embedded-broker")
                .put("java", System.getProperty("java.version"))
                .put("cpus", Runtime.getRuntime().availableProcessors())
                .put("runs", results);
        System.out.println(report);
        if (parsed.json() != null) {
            report.write(Path.of(parsed.json()));
            System.out.println("Wrote " + parsed.json());
        }
        // Kafka leaves a few non-daemon threads behind (e.g. metrics); the figures are written, so leave.
        System.exit(0);
    }

    private static Map<String, Object> oneRun(final int run) throws IOException {
        final Path dir = Files.createTempDirectory("npid-broker-bench-");
        final Map<String, Object> figures = new LinkedHashMap<>();
        try {
            final EmbeddedKafkaBroker fresh = EmbeddedKafkaBroker.start(dir);
            final long topicsMs;
            try (Admin admin = fresh.createAdmin()) {
                final long begin = System.nanoTime();
                TopicAdmin.ensureTopics(admin, Topics.defaults());
                topicsMs = (System.nanoTime() - begin) / 1_000_000;
            } finally {
                fresh.close();
            }
            final EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(dir);
            restarted.close();
            figures.put("run", run);
            figures.put("freshStartMs", fresh.startupTime().toMillis());
            figures.put("createEightTopicsMs", topicsMs);
            figures.put("stopMs", fresh.shutdownTime().toMillis());
            figures.put("restartSameDirMs", restarted.startupTime().toMillis());
            figures.put("stopAfterRestartMs", restarted.shutdownTime().toMillis());
            System.out.printf("run %d: fresh start %d ms, 8 topics %d ms, stop %d ms, restart %d ms, stop %d ms%n",
                    run, fresh.startupTime().toMillis(), topicsMs, fresh.shutdownTime().toMillis(),
                    restarted.startupTime().toMillis(), restarted.shutdownTime().toMillis());
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        return figures;
    }
}
