package io.npid.deploy.bench;

import io.npid.deploy.client.DatasetIngestor;
import io.npid.deploy.local.LocalConfig;
import io.npid.deploy.local.LocalDataSet;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.local.TrainingRecorder;
import io.npid.deploy.metrics.MetricsSettings;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.deploy.process.DirectoryTrees;
import io.npid.deploy.process.LogLevels;
import io.npid.deploy.process.Progress;
import io.npid.deploy.process.SettingException;
import io.npid.trainer.stream.StreamingTrainerConfig;
import io.npid.trainer.stream.TrainerStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code npid bench ingest}: how long a new image takes from being sent until its feature is published (what the
 * indexer makes queryable) while the trainer trains, at offered rates of new images. The trainer first ingests a
 * bank and starts training on it (endless epochs); then, for each rate, new images are sent at that rate for a
 * while, and each is timed until its first feature event. Above ingest's capacity the lag grows and the times with
 * it: the figures show where that starts.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Ingest-to-published time of new images while the trainer trains, at offered rates (p50/p99 per "
                + "rate, training img/s, max lag).")
public final class BenchIngestCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Images (default Fashion-MNIST where installed, else the synthetic shapes).")
    Path data;

    @Option(
            names = "--bank",
            defaultValue = "5000",
            paramLabel = "N",
            description = "Images ingested and trained on before the measurement (default ${DEFAULT-VALUE}).")
    int bank;

    @Option(
            names = "--rates",
            defaultValue = "50,200,1000",
            split = ",",
            paramLabel = "R",
            description = "Offered rates of new images, images/s, one measurement each (default ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(
            names = "--seconds",
            defaultValue = "20",
            paramLabel = "S",
            description = "Seconds each rate is offered (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--batch-size",
            defaultValue = "128",
            paramLabel = "B",
            description = "Training batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--ingest-threads",
            defaultValue = "1",
            paramLabel = "T",
            description = "npid.trainer.ingest.threads (default ${DEFAULT-VALUE}).")
    int ingestThreads;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (bank < 10 || seconds < 1 || rates.isEmpty() || rates.stream().anyMatch(r -> r < 1) || ingestThreads < 1) {
            throw new SettingException(
                    "--bank/--seconds/--rates/--ingest-threads",
                    bank + "/" + seconds + "/" + rates + "/" + ingestThreads,
                    "the bank must be at least 10, seconds, rates and threads at least 1");
        }
        final PrintWriter err = output.err();
        if (!LogLevels.isVerbose()) {
            LogLevels.quietProcesses();
        }
        final LocalConfig config = new LocalConfig(data, false, 1, bank, 10, "small", batchSize, 2, 0, false, null, 42);
        final LocalDataSet dataSet = LocalDataSet.load(config, err);
        final Path state = Files.createTempDirectory("npid-bench-ingest");
        final TrainingRecorder recorder =
                new TrainingRecorder(config.batchSize(), dataSet.train().size());
        final Map<String, Object> figures = new LinkedHashMap<>();
        try (NpidMetrics meters = NpidMetrics.start("bench", MetricsSettings.jmxOnly());
                LocalStack stack = LocalStack.start(
                        config,
                        dataSet,
                        state,
                        meters,
                        recorder,
                        Map.of(
                                StreamingTrainerConfig.EPOCHS_CONFIG,
                                0,
                                StreamingTrainerConfig.INGEST_THREADS_CONFIG,
                                ingestThreads))) {
            // Step 1: the bank, ingested while training starts on it
            final long start = System.nanoTime();
            try (DatasetIngestor ingestor = new DatasetIngestor(stack.client(), stack.topics())) {
                final DatasetIngestor.Run run = ingestor.start(
                        true,
                        dataSet.name(),
                        new Progress(err, "bank", "images", dataSet.train().size()),
                        skip -> err.println("bank: skipped " + skip.getMessage()));
                for (int i = 0; i < dataSet.train().size(); i++) {
                    run.send(dataSet.train().input(i).withId(String.format(Locale.ROOT, "bank-%06d", i)));
                }
                run.finish();
            }
            recorder.awaitAllIngested(Math.max(300, bank / 20));
            figures.put("bank", dataSet.train().size());
            figures.put("bank_ingest_images_per_s", dataSet.train().size() / ((System.nanoTime() - start) / 1e9));
            final long firstSteps = stack.trainer().status().step();
            awaitSteps(stack, firstSteps + 3);

            // Step 2: training alone, the figure to compare the training rates under ingest with
            final long idleFrom = stack.trainer().status().step();
            final long idleStart = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            figures.put(
                    "train_images_per_s_without_new_images",
                    (stack.trainer().status().step() - idleFrom)
                            * (double) stack.batchSize()
                            / ((System.nanoTime() - idleStart) / 1e9));

            // Step 3: each rate, while the trainer trains
            final IngestRateRun runner = new IngestRateRun(stack, dataSet.train(), err);
            for (final int rate : rates) {
                final IngestRateRun.Figures f = runner.run(rate, seconds);
                final String p = "rate_" + rate + "_";
                figures.put(p + "offered_images_per_s", f.offeredPerSecond());
                figures.put(p + "sent", f.sent());
                figures.put(p + "published", f.published());
                figures.put(p + "p50_ms", f.p50Ms());
                figures.put(p + "p99_ms", f.p99Ms());
                figures.put(p + "max_ms", f.maxMs());
                figures.put(p + "train_images_per_s", f.trainImagesPerSecond());
                figures.put(p + "max_lag", f.maxLag());
                figures.put(p + "published_images_per_s", f.publishedPerSecond());
                err.printf(
                        Locale.ROOT,
                        "rate %d img/s: p50 %.0f ms, p99 %.0f ms, %d/%d published, training %.1f "
                                + "img/s, max lag %d, published %.0f img/s%n",
                        rate,
                        f.p50Ms(),
                        f.p99Ms(),
                        f.published(),
                        f.sent(),
                        f.trainImagesPerSecond(),
                        f.maxLag(),
                        f.publishedPerSecond());
                err.flush();
            }
            final TrainerStatus status = stack.trainer().status();
            figures.put("steps_during_bench", status.step() - firstSteps);
            figures.put("seconds_per_rate", seconds);
            figures.put("ingest_threads", ingestThreads);
            figures.put("batch_size", batchSize);
            figures.put("data", dataSet.description());
            figures.put("measured", "image sent to the images topic -> its first event on the features topic");
        } finally {
            DirectoryTrees.delete(state);
        }
        output.report(figures);
        return 0;
    }

    private static void awaitSteps(final LocalStack stack, final long steps) throws InterruptedException {
        final long deadline = System.nanoTime() + 300_000_000_000L;
        while (stack.trainer().status().step() < steps) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The trainer took no training steps within 300 s: "
                        + stack.trainer().status().toLogLine());
            }
            Thread.sleep(50);
        }
    }
}
