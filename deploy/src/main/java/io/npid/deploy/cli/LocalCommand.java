package io.npid.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.npid.deploy.local.LocalConfig;
import io.npid.deploy.local.LocalDataSet;
import io.npid.deploy.local.LocalRun;
import io.npid.deploy.local.LocalScenario;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.local.TrainingRecorder;
import io.npid.deploy.metrics.MetricsOptions;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.deploy.process.DirectoryTrees;
import io.npid.deploy.process.LogLevels;
import io.npid.deploy.process.SettingException;
import io.npid.deploy.report.ReportWriter;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code npid local}: the whole pipeline in one JVM on an embedded broker: ingest a data set, train while serving,
 * stream the test images as queries, print a summary, write JSON and an HTML report.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        footer = "%nEvery setting with its default and valid values: npid settings local",
        sortOptions = false,
        description = {
            "Run everything in one JVM on an embedded Kafka broker (127.0.0.1 only): ingest the training "
                    + "images and their labels, train while serving, stream the test images as queries, and report accuracy, "
                    + "latency and rates.",
            ""
        })
public final class LocalCommand implements Callable<Integer> {
    /**
     * Default training images: all of Fashion-MNIST's 60,000. With {@link #DEFAULT_EPOCHS} and the small-flat
     * defaults the run from a fresh clone took 8:06 on this quiet 2-core machine (ingest 1,277 images/s, 3 epochs
     * with their bank refreshes in 389 s) and answered 86.5% of 1,000 test queries correctly, above raw pixels'
     * 79.1% (docs/experiments.md).
     */
    static final int DEFAULT_TRAIN_LIMIT = 60_000;
    /** Default epochs of the default data set (and what {@link LocalConfig#epochsFor} gives for 60,000). */
    static final int DEFAULT_EPOCHS = 3;
    /** How long Ctrl-C waits for the processes to stop and the temporary state to go. */
    static final Duration STOP_GRACE = Duration.ofSeconds(60);

    @Mixin
    LocalOptions options;

    @Mixin
    ProcessSettings trainerSettings;

    @Mixin
    MetricsOptions metrics;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final long start = System.nanoTime();
        final LocalConfig requested = options.toConfig(trainerSettings.settings("local"));
        checkPort();
        final PrintWriter err = spec.commandLine().getErr();
        if (!LogLevels.isVerbose()) {
            // the processes' own progress logs would interleave with the run's progress lines
            LogLevels.quietProcesses();
        }
        // Ctrl-C at any moment stops the processes, removes the temporary state and says so
        try (ShutdownGuard guard = ShutdownGuard.install("npid local", err, STOP_GRACE);
                OutputLock reportLock = OutputLock.acquire(options.report, "--report")) {
            return run(requested, guard, start);
        }
    }

    private int run(final LocalConfig requested, final ShutdownGuard guard, final long start) throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        Path state = null;
        NpidMetrics meters = null;
        LocalStack stack = null;
        try {
            final LocalDataSet dataSet = LocalDataSet.load(requested, err);
            err.println("npid local: " + dataSet.description());
            final LocalConfig config = options.epochs != null
                    ? requested
                    : requested.withEpochs(LocalConfig.epochsFor(dataSet.train().size()));
            if (options.epochs == null && config.epochs() != DEFAULT_EPOCHS) {
                err.printf(
                        java.util.Locale.ROOT,
                        "npid local: %d epochs (about %,d training images' worth; " + "--epochs sets them)%n",
                        config.epochs(),
                        config.epochs() * (long) dataSet.train().size());
            }
            guard.check();
            state = options.stateDir != null
                    ? Files.createDirectories(options.stateDir)
                    : Files.createTempDirectory("npid-local");
            final TrainingRecorder recorder =
                    new TrainingRecorder(options.batchSize, dataSet.train().size());
            meters = NpidMetrics.start("local", metrics.toSettings());
            stack = LocalStack.start(
                    config,
                    dataSet,
                    state,
                    meters,
                    recorder,
                    Map.of(StreamingTrainerConfig.TRAIN_CONFIG, false),
                    options.port);
            meters.health(stack::healthy);
            err.println("npid local: Kafka at " + stack.bootstrapServers() + " (127.0.0.1 only), trainer, embedder "
                    + "and indexer running; state in " + state);
            guard.check();
            final LocalScenario scenario =
                    new LocalScenario(config, dataSet, stack, recorder, err, options.streamRate, options.streamLabels);
            final LocalRun run = scenario.run(start);
            run.summary().print(out);
            final Map<String, Object> stream = scenario.streamFigures();
            if (stream != null) {
                out.printf(
                        java.util.Locale.ROOT,
                        "  streamed:     %d images/s over %.1f s, %,d labelled, %d accuracy "
                                + "probes meanwhile (summary JSON 'stream')%n",
                        options.streamRate,
                        (Double) stream.get("send_seconds"),
                        (Integer) stream.get("images_labelled"),
                        ((List<?>) stream.get("probes")).size());
            }
            if (options.json != null) {
                writeJson(run, stream, options.json);
                out.println("  summary JSON: " + options.json.toAbsolutePath());
            }
            final Path index = ReportWriter.write(options.report, run.report());
            out.println("  report:       " + index.toAbsolutePath());
            final String metricsUrl = metricsUrl(meters);
            if (metricsUrl != null) {
                out.println("  metrics:      " + metricsUrl + " (Prometheus; JMX domain 'metrics')");
            }
            out.flush();
            if (options.serve) {
                serveUntilStopped(stack, dataSet, metricsUrl, guard, out);
            }
            if (run.summary().results() < run.summary().queries()) {
                throw new IncompleteRunException(
                        (run.summary().queries() - run.summary().results()) + " of "
                                + run.summary().queries() + " queries got no answer");
            }
        } catch (Exception e) {
            if (!guard.stopping()) {
                throw e;
            }
            // what the interrupt broke off is not an error: the user asked to stop
        } finally {
            guard.cleaningUp();
            closeAll(stack, meters);
            if (state != null && options.stateDir == null) {
                DirectoryTrees.delete(state);
            }
            if (guard.stopping()) {
                err.println("npid local: stopped"
                        + (state == null
                                ? ""
                                : options.stateDir == null
                                        ? "; removed its temporary state " + state
                                        : "; its state stays in " + state));
                err.flush();
            }
        }
        return guard.stopping() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }

    /** A fixed --port must be free: said now, rather than as the broker's start-up error. */
    private void checkPort() {
        if (options.port < 0 || options.port > 65_535) {
            throw new SettingException("--port", options.port, "must be a TCP port, 1 to 65535 (0 for a free one)");
        }
        if (options.port > 0) {
            try (ServerSocket probe = new ServerSocket(options.port, 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (IOException e) {
                throw new SettingException(
                        "--port",
                        options.port,
                        "127.0.0.1:" + options.port + " is in use (another Kafka, or "
                                + "another npid local --serve?); pick another port or leave it out for a free one");
            }
        }
    }

    private static void closeAll(final LocalStack stack, final NpidMetrics meters) {
        if (stack != null) {
            stack.close();
        }
        if (meters != null) {
            meters.close();
        }
    }

    private static String metricsUrl(final NpidMetrics meters) {
        return meters.endpoint()
                .map(a -> "http://" + a.getHostString() + ":" + a.getPort() + "/metrics")
                .orElse(null);
    }

    private void serveUntilStopped(
            final LocalStack stack,
            final LocalDataSet dataSet,
            final String metricsUrl,
            final ShutdownGuard guard,
            final PrintWriter out)
            throws InterruptedException {
        final String servers = stack.bootstrapServers();
        out.println();
        out.println("npid local: serving at " + servers + "; from another terminal, for example:");
        out.println("    deploy/bin/npid query --bootstrap-servers " + servers + " IMAGE_OR_FOLDER...");
        if (!dataSet.synthetic()) {
            out.println("    deploy/bin/npid query --bootstrap-servers " + servers + " --from "
                    + (options.data == null ? LocalDataSet.DEFAULT_DATA : options.data) + " --first 5");
        }
        out.println("    deploy/bin/npid ingest --bootstrap-servers " + servers + " IMAGE_OR_FOLDER...");
        out.println("    deploy/bin/npid tail results --bootstrap-servers " + servers);
        out.println(
                metricsUrl != null
                        ? "Metrics at " + metricsUrl + ". Ctrl-C stops."
                        : "Ctrl-C stops. (--metrics-port N serves Prometheus metrics at http://127.0.0.1:N/metrics.)");
        out.flush();
        guard.awaitStop();
    }

    private static void writeJson(final LocalRun run, final Map<String, Object> stream, final Path file)
            throws IOException {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        final Map<String, Object> summary =
                new java.util.LinkedHashMap<>(run.summary().toJson());
        if (stream != null) {
            summary.put("stream", stream);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary);
    }
}
