package io.npid.deploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.deploy.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code npid local} as a person runs it, in a child JVM: {@code --serve --port N} on a fixed port with its
 * metrics URL printed and its meters counting each image once; a second run in the same folder refused instead of
 * overwriting the report; Ctrl-C (SIGINT) while serving and in the middle of training stops cleanly, says so, and
 * leaves no temporary state behind.
 */
class LocalLifecycleIT {
    private static final int TRAIN = 300;
    private static final int BATCH = 64;

    @TempDir
    Path dir;

    @Test
    void shouldServeOnAFixedPortCountEachImageOnceAndStopCleanlyOnCtrlC() throws Exception {
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        final Path report = dir.resolve("report");
        final Path json = dir.resolve("run.json");
        final int port = Ports.free();
        final int metricsPort = Ports.free();
        try (NpidChild local = NpidChild.start(
                dir,
                "serve",
                "768m",
                List.of("-Djava.io.tmpdir=" + tmp),
                Map.of(),
                List.of(
                        "local",
                        "--synthetic",
                        "--train-limit",
                        "" + TRAIN,
                        "--queries",
                        "20",
                        "--probe-queries",
                        "0",
                        "--epochs",
                        "1",
                        "--batch-size",
                        "" + BATCH,
                        "--serve",
                        "--port",
                        "" + port,
                        "--metrics-port",
                        "" + metricsPort,
                        "--json",
                        json.toString(),
                        "--report",
                        report.toString()))) {
            local.awaitOutput("Ctrl-C stops", 600);

            // the broker is where --port put it, and the summary names the metrics endpoint
            assertTrue(local.output().contains("npid local: serving at 127.0.0.1:" + port), local.tail());
            assertTrue(
                    local.output().contains("  metrics:      http://127.0.0.1:" + metricsPort + "/metrics"),
                    local.tail());
            final Cli tail = Cli.run("tail", "results", "--max", "3", "--bootstrap-servers", "127.0.0.1:" + port);
            assertEquals(ExitCodes.OK, tail.exitCode(), tail.toString());
            assertEquals(3, tail.out().lines().count(), tail.toString());

            // every meter counted once: known counts of this run
            final String scrape = Ports.get("http://127.0.0.1:" + metricsPort + "/metrics");
            final JsonNode summary = new ObjectMapper().readTree(json.toFile());
            final long steps = summary.get("train_steps").asLong();
            assertEquals(TRAIN, MetricsReport.value(scrape, "npid_ingest_images_total"), 0, scrape);
            assertEquals(TRAIN, MetricsReport.value(scrape, "npid_bank_size"), 0, scrape);
            assertEquals(steps, MetricsReport.value(scrape, "npid_train_steps_total"), 0, scrape);
            assertEquals(steps * BATCH, MetricsReport.value(scrape, "npid_train_images_total"), 0, scrape);
            assertEquals(20, MetricsReport.value(scrape, "npid_query_latency_seconds_count"), 0, scrape);

            // a second run in the same folder does not write over this run's report
            final Cli second = Cli.run("local", "--synthetic", "--train-limit", "100", "--report", report.toString());
            assertEquals(ExitCodes.STATE, second.exitCode(), second.toString());
            assertTrue(
                    second.err().contains(report + " is being written by another run (pid " + local.pid()),
                    second.toString());

            local.interrupt();
            final int exit = local.awaitExit(120);

            assertEquals(ExitCodes.INTERRUPTED, exit, local.tail());
            assertTrue(local.output().contains("npid local: interrupted; stopping and cleaning up"), local.tail());
            assertTrue(
                    local.output().contains("npid local: stopped; removed its temporary state " + tmp), local.tail());
            assertEquals(List.of(), leftIn(tmp), "temporary state left behind\n" + local.tail());
        }
    }

    @Test
    void shouldStopCleanlyOnCtrlCInTheMiddleOfTraining() throws Exception {
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        final Path report = dir.resolve("report");
        try (NpidChild local = NpidChild.start(
                dir,
                "train",
                "768m",
                List.of("-Djava.io.tmpdir=" + tmp),
                Map.of(),
                List.of(
                        "local",
                        "--synthetic",
                        "--train-limit",
                        "2000",
                        "--queries",
                        "50",
                        "--probe-queries",
                        "0",
                        "--epochs",
                        "20",
                        "--report",
                        report.toString()))) {
            local.awaitOutput("ingest: all 2,000 images in the memory bank", 600);
            assertFalse(leftIn(tmp).isEmpty(), "the run keeps its state in a temporary directory");

            local.interrupt();
            final int exit = local.awaitExit(120);

            assertEquals(ExitCodes.INTERRUPTED, exit, local.tail());
            assertTrue(
                    local.output().contains("npid local: stopped; removed its temporary state " + tmp), local.tail());
            assertFalse(local.output().contains("Exception"), "no stack trace, no error line\n" + local.tail());
            assertEquals(List.of(), leftIn(tmp), "temporary state left behind\n" + local.tail());
            assertFalse(Files.exists(report.resolve("index.html")), "no report of an interrupted run");
        }
    }

    /** What npid left in a temporary folder (RocksDB's and the JVM's own files aside). */
    private static List<String> leftIn(final Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("npid"))
                    .sorted()
                    .toList();
        }
    }
}
