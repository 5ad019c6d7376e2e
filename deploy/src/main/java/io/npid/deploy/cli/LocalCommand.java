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
import picocli.CommandLine.Option;
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

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Fashion-MNIST/MNIST IDX folder, CIFAR-10 binary folder, or a folder of PNG/JPEG files with "
                    + "one sub-folder per class, or with train/ and test/ each holding class sub-folders (default "
                    + "/usr/share/datasets/fashion-mnist; the built-in synthetic shapes when that is not installed).")
    Path data;

    @Option(
            names = "--synthetic",
            description = "Use the built-in synthetic shapes even where a data set is " + "installed.")
    boolean synthetic;

    @Option(
            names = "--epochs",
            paramLabel = "E",
            description = "Epochs to train before the queries (default: about 180,000 training images' worth, 3 to "
                    + "100 epochs: 3 for Fashion-MNIST's 60,000 images, 39 for 4,660).")
    Integer epochs;

    @Option(
            names = "--train-limit",
            paramLabel = "N",
            defaultValue = "" + DEFAULT_TRAIN_LIMIT,
            description = "Training images to ingest (default ${DEFAULT-VALUE}).")
    int trainLimit;

    @Option(
            names = "--queries",
            paramLabel = "Q",
            defaultValue = "1000",
            description = "Test images to stream as queries (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(
            names = "--backbone",
            paramLabel = "small-flat|small|resnet18",
            defaultValue = "small-flat",
            description = "Encoder backbone (default ${DEFAULT-VALUE}; resnet18 is far slower on a CPU).")
    String backbone;

    @Option(
            names = "--serve",
            description = "Keep everything running afterwards, for npid ingest, npid query and "
                    + "npid tail from another terminal; Ctrl-C stops.")
    boolean serve;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "The broker's port on 127.0.0.1, so that clients of --serve find it at the same address every "
                            + "run (default: a free port).")
    int port;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the summary as JSON to FILE.")
    Path json;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            defaultValue = "report",
            description = "Write the HTML report and its pictures here (default ${DEFAULT-VALUE}/).")
    Path report;

    @Option(
            names = "--batch-size",
            paramLabel = "B",
            defaultValue = "128",
            description = "Training images per step (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--partitions",
            paramLabel = "P",
            defaultValue = "2",
            description = "Partitions of the data topics, i.e. the indexer's shards (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--probe-queries",
            paramLabel = "M",
            defaultValue = "200",
            description = "Test queries sent at each epoch to draw the accuracy curve, 0 for none "
                    + "(default ${DEFAULT-VALUE}).")
    int probeQueries;

    @Option(
            names = "--stream-rate",
            paramLabel = "R",
            defaultValue = "0",
            description = "Send the training images at R images/s while the model trains and queries are answered, "
                    + "probing the accuracy over time (the summary JSON's 'stream'); 0 ingests them all before training "
                    + "(default ${DEFAULT-VALUE}).")
    int streamRate;

    @Option(
            names = "--stream-labels",
            paramLabel = "FRACTION",
            defaultValue = "1.0",
            description = "With --stream-rate, the share of streamed training images whose label is sent, chosen by "
                    + "--seed; the rest stay unlabelled and do not vote (default ${DEFAULT-VALUE}).")
    double streamLabels;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Keep the broker's and processes' state here (default: a temporary directory, deleted).")
    Path stateDir;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--image-size",
            paramLabel = "N",
            description = "The model's input side, npid.image.size (default: from the data: the images' size when all "
                    + "are one size of at most 64 pixels, else 32).")
    Integer imageSize;

    @Option(
            names = "--channels",
            paramLabel = "1|3",
            description = "The model's input channels, npid.image.channels (default: 3 if any image has colour, "
                    + "else 1).")
    Integer channels;

    @Mixin
    ProcessSettings trainerSettings;

    @Mixin
    MetricsOptions metrics;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final long start = System.nanoTime();
        if (synthetic && data != null) {
            throw new SettingException("--synthetic", "set", "give either --synthetic or --data, not both");
        }
        if (streamRate < 0) {
            throw new SettingException("--stream-rate", streamRate, "must be 0 (ingest first) or a rate in images/s");
        }
        if (!(streamLabels >= 0 && streamLabels <= 1)) {
            throw new SettingException("--stream-labels", streamLabels, "must be a fraction from 0 to 1");
        }
        if (streamLabels != 1 && streamRate == 0) {
            throw new SettingException(
                    "--stream-labels", streamLabels, "labels part of a stream: give --stream-rate " + "too");
        }
        final LocalConfig requested = new LocalConfig(
                data,
                synthetic,
                epochs == null ? DEFAULT_EPOCHS : epochs,
                trainLimit,
                queries,
                backbone,
                batchSize,
                partitions,
                probeQueries,
                serve,
                stateDir,
                seed,
                imageSize,
                channels,
                trainerSettings.settings("local"));
        checkPort();
        final PrintWriter err = spec.commandLine().getErr();
        if (!LogLevels.isVerbose()) {
            // the processes' own progress logs would interleave with the run's progress lines
            LogLevels.quietProcesses();
        }
        // Ctrl-C at any moment stops the processes, removes the temporary state and says so
        try (ShutdownGuard guard = ShutdownGuard.install("npid local", err, STOP_GRACE);
                OutputLock reportLock = OutputLock.acquire(report, "--report")) {
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
            final LocalConfig config = epochs != null
                    ? requested
                    : requested.withEpochs(LocalConfig.epochsFor(dataSet.train().size()));
            if (epochs == null && config.epochs() != DEFAULT_EPOCHS) {
                err.printf(
                        java.util.Locale.ROOT,
                        "npid local: %d epochs (about %,d training images' worth; " + "--epochs sets them)%n",
                        config.epochs(),
                        config.epochs() * (long) dataSet.train().size());
            }
            guard.check();
            state = stateDir != null ? Files.createDirectories(stateDir) : Files.createTempDirectory("npid-local");
            final TrainingRecorder recorder =
                    new TrainingRecorder(batchSize, dataSet.train().size());
            meters = NpidMetrics.start("local", metrics.toSettings());
            stack = LocalStack.start(
                    config, dataSet, state, meters, recorder, Map.of(StreamingTrainerConfig.TRAIN_CONFIG, false), port);
            meters.health(stack::healthy);
            err.println("npid local: Kafka at " + stack.bootstrapServers() + " (127.0.0.1 only), trainer, embedder "
                    + "and indexer running; state in " + state);
            guard.check();
            final LocalScenario scenario =
                    new LocalScenario(config, dataSet, stack, recorder, err, streamRate, streamLabels);
            final LocalRun run = scenario.run(start);
            run.summary().print(out);
            final Map<String, Object> stream = scenario.streamFigures();
            if (stream != null) {
                out.printf(
                        java.util.Locale.ROOT,
                        "  streamed:     %d images/s over %.1f s, %,d labelled, %d accuracy "
                                + "probes meanwhile (summary JSON 'stream')%n",
                        streamRate,
                        (Double) stream.get("send_seconds"),
                        (Integer) stream.get("images_labelled"),
                        ((List<?>) stream.get("probes")).size());
            }
            if (json != null) {
                writeJson(run, stream, json);
                out.println("  summary JSON: " + json.toAbsolutePath());
            }
            final Path index = ReportWriter.write(report, run.report());
            out.println("  report:       " + index.toAbsolutePath());
            final String metricsUrl = metricsUrl(meters);
            if (metricsUrl != null) {
                out.println("  metrics:      " + metricsUrl + " (Prometheus; JMX domain 'metrics')");
            }
            out.flush();
            if (serve) {
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
            if (state != null && stateDir == null) {
                DirectoryTrees.delete(state);
            }
            if (guard.stopping()) {
                err.println("npid local: stopped"
                        + (state == null
                                ? ""
                                : stateDir == null
                                        ? "; removed its temporary state " + state
                                        : "; its state stays in " + state));
                err.flush();
            }
        }
        return guard.stopping() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }

    /** A fixed --port must be free: said now, rather than as the broker's start-up error. */
    private void checkPort() {
        if (port < 0 || port > 65_535) {
            throw new SettingException("--port", port, "must be a TCP port, 1 to 65535 (0 for a free one)");
        }
        if (port > 0) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (IOException e) {
                throw new SettingException(
                        "--port",
                        port,
                        "127.0.0.1:" + port + " is in use (another Kafka, or "
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
                    + (data == null ? LocalDataSet.DEFAULT_DATA : data) + " --first 5");
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
