package io.npid.deploy.local;

import io.npid.deploy.client.DatasetIngestor;
import io.npid.deploy.client.IngestResult;
import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.process.Progress;
import io.npid.deploy.report.Percentiles;
import io.npid.indexer.IndexerConfig;
import io.npid.indexer.knn.KnnVote;
import io.npid.trainer.eval.VoteTemperature;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The story {@code npid local} tells on a running {@link LocalStack}: ingest the training images unlabelled and
 * their labels separately, train while serving (probing accuracy through the live pipeline at each epoch), then
 * stream the test images as queries and read the answers. With a stream rate, training starts at once and the
 * training images arrive at that rate while it trains and queries are answered, probed at intervals of time.
 *
 * <p>Every figure comes from the real topics: accuracy is the share of right answers the indexer gave, latency is
 * measured by the client from sending a query to reading its result.
 */
public final class LocalScenario {
    /** Queries in flight while the final queries stream: a steady, moderate load. */
    static final int IN_FLIGHT = 4;
    /** Accuracy probes during training, at most: a 100-epoch run on a small set probes every tenth epoch. */
    static final int MAX_PROBES = 10;
    /** Fewest held-out training images the vote's T is chosen on: fewer would pick it by chance. */
    static final int MIN_VALIDATION_IMAGES = 100;
    /** How often the ingest wait looks at the trainer's bank size: small against the seconds an ingest takes. */
    private static final long INGEST_POLL_MS = 20;

    private final LocalConfig config;
    private final LocalDataSet data;
    private final LocalStack stack;
    private final TrainingRecorder recorder;
    private final PrintWriter err;
    private final Map<String, Integer> trainIndexById = new HashMap<>();
    private final LiveQueries queries;
    /** Null when the training images are ingested before training. */
    private final TrainingStream stream;

    /**
     * Prepares the scenario.
     *
     * @param config the run's settings
     * @param data the images
     * @param stack the running processes
     * @param recorder the trainer's recorder
     * @param err where progress goes
     */
    public LocalScenario(
            final LocalConfig config,
            final LocalDataSet data,
            final LocalStack stack,
            final TrainingRecorder recorder,
            final PrintWriter err) {
        this(config, data, stack, recorder, err, 0, 1.0);
    }

    /**
     * Prepares the scenario, streaming the training images at a rate while the model trains.
     *
     * @param config the run's settings
     * @param data the images
     * @param stack the running processes
     * @param recorder the trainer's recorder
     * @param err where progress goes
     * @param streamRate training images sent per second while training, or 0 to ingest them all first
     * @param streamLabels the share of streamed training images whose label is sent (0 to 1; the others stay
     *     unlabelled rows, which the indexer keeps out of the vote)
     */
    public LocalScenario(
            final LocalConfig config,
            final LocalDataSet data,
            final LocalStack stack,
            final TrainingRecorder recorder,
            final PrintWriter err,
            final int streamRate,
            final double streamLabels) {
        if (streamRate < 0) {
            throw new IllegalArgumentException("stream rate " + streamRate + " must be 0 or more");
        }
        this.queries = new LiveQueries(stack, recorder, err);
        this.stream = streamRate == 0
                ? null
                : new TrainingStream(
                        stack, recorder, queries, err, data.name(), streamRate, streamLabels, config.seed());
        this.config = config;
        this.data = data;
        this.stack = stack;
        this.recorder = recorder;
        this.err = err;
    }

    /**
     * Runs the scenario.
     *
     * @param startNanos when the run started (for the total time)
     * @return the outcomes and figures
     * @throws InterruptedException when interrupted
     * @throws ExecutionException when the trainer stopped on an error
     */
    public LocalRun run(final long startNanos) throws InterruptedException, ExecutionException {
        // Step 1: ingest the training images (unlabelled) and their labels on the labels topic
        final LocalImages train = data.train();
        for (int i = 0; i < train.size(); i++) {
            trainIndexById.put(train.id(i), i);
        }
        final LocalImages probeSet = data.test().head(config.probeQueries());
        final long ingestStart = System.nanoTime();
        final IngestResult sent;
        if (stream != null) {
            // training is on from the start; the images arrive at the rate while it trains and queries are answered
            stack.restartTrainer(Map.of(StreamingTrainerConfig.TRAIN_CONFIG, true));
            sent = stream.send(train, probeSet, ingestStart);
        } else {
            try (DatasetIngestor ingestor = new DatasetIngestor(stack.client(), stack.topics())) {
                final DatasetIngestor.Run run = ingestor.start(
                        true,
                        data.name(),
                        new Progress(err, "ingest", "images", train.size()),
                        skip -> err.println("ingest: skipped " + skip.getMessage()));
                for (int i = 0; i < train.size(); i++) {
                    run.send(train.input(i));
                }
                sent = run.finish();
            }
        }
        final long stored = awaitStored(sent.images(), Math.max(300, train.size() / 50));
        final int n = stack.trainer().status().rows();
        final double ingestRate = n / ((stored - ingestStart) / 1e9);
        err.printf(
                Locale.ROOT,
                "ingest: all %,d images in the memory bank after %s (%s images/s)%s%n",
                n,
                Progress.duration((stored - ingestStart) / 1e9),
                Progress.rate(ingestRate),
                n < train.size()
                        ? String.format(
                                Locale.ROOT,
                                "; %,d not stored (skipped, or in dead-letters with their reason)",
                                train.size() - n)
                        : "");

        // Step 2: train for the configured epochs while serving; probe accuracy through the pipeline at most
        // MAX_PROBES times (every epoch of a short run, every few of a long one).
        // The trainer ran serve-only so far (new rows embedded and published, no steps), so that the epochs count
        // passes over the whole set; it restarts from its checkpoint with training on.
        if (stream == null) {
            probe(probeSet, 0);
            stack.restartTrainer(Map.of(StreamingTrainerConfig.TRAIN_CONFIG, true));
        }
        final long stepsPerEpoch = Math.max(1, (n + stack.batchSize() - 1) / stack.batchSize());
        final Progress training = new Progress(err, "train", "steps", stepsPerEpoch * config.epochs());
        final long probeEvery = Math.max(1, (config.epochs() + MAX_PROBES - 1) / MAX_PROBES);
        long probedEpoch = 0;
        while (true) {
            try {
                stack.trainer().trainingComplete().get(1, TimeUnit.SECONDS);
                break;
            } catch (TimeoutException stillTraining) {
                training.set(recorder.steps());
                final long epoch = recorder.completedEpochs();
                if (epoch >= probedEpoch + probeEvery && epoch < config.epochs()) {
                    probedEpoch = epoch;
                    probe(probeSet, epoch);
                }
            }
        }
        training.set(recorder.steps());
        training.finish();
        // the summary takes its steps and time from the same place as the closing line: one source
        final double trainSeconds = training.elapsedSeconds();

        // Step 3: let the embedder load the final model and the indexer receive the last features
        final long version = awaitFinalModel();
        Thread.sleep(2 * LocalStack.PUBLISH_INTERVAL_MS);
        final LocalVote vote = chooseVote();
        probe(probeSet, config.epochs());

        // Step 4: stream the test images as queries and read every answer
        final List<QueryOutcome> outcomes = queries.query(data.test(), "query", IN_FLIGHT);
        int correct = 0;
        int answered = 0;
        int duplicates = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            final QueryOutcome o = outcomes.get(i);
            duplicates += o.duplicates();
            if (o.answered()) {
                answered++;
                correct += LiveQueries.isRight(o.result(), data.test(), i) ? 1 : 0;
            }
        }
        final double[] latencies = outcomes.stream()
                .filter(QueryOutcome::answered)
                .mapToDouble(QueryOutcome::latencyMs)
                .toArray();
        final LocalSummary summary = new LocalSummary(
                data.description(),
                config.backbone(),
                n,
                config.epochs(),
                outcomes.size(),
                answered,
                correct,
                duplicates,
                Percentiles.of(latencies, 50),
                Percentiles.of(latencies, 99),
                java.util.Arrays.stream(latencies).average().orElse(Double.NaN),
                ingestRate,
                sent.imagesPerSecond(),
                recorder.trainImagesPerSecond(),
                training.done(),
                trainSeconds,
                version,
                (System.nanoTime() - startNanos) / 1e9,
                recorder.curve(),
                LiveQueries.latencySplit(outcomes),
                stack.trainer().storedImageBytesPerImage(),
                stack.effectiveTrainerSettings(),
                vote);
        return new LocalRun(
                summary,
                LocalReport.build(
                        data, trainIndexById, outcomes, summary, stream == null ? List.of() : stream.points()),
                outcomes);
    }

    /**
     * The vote's T for the test queries: given with {@code --set npid.knn.temperature}, else chosen on a validation
     * split of the labelled training images and set on the indexer (a restart: it restores its shards from its state
     * directory in seconds). A streamed run whose labels are partial keeps the indexer's T.
     */
    private LocalVote chooseVote() {
        final Object given = stack.indexerSetting(IndexerConfig.TEMPERATURE_CONFIG);
        if (given != null) {
            return LocalVote.given(Double.parseDouble(given.toString()), "set");
        }
        final LocalImages train = data.train();
        if (stream != null || train.size() * VoteTemperature.VALIDATION_FRACTION < MIN_VALIDATION_IMAGES) {
            err.printf(
                    Locale.ROOT,
                    "vote: T %s, the paper's (%s)%n",
                    KnnVote.DEFAULT_TEMPERATURE,
                    stream != null
                            ? "a streamed run's labels are partial"
                            : "too few training images to hold out " + MIN_VALIDATION_IMAGES + " for choosing it");
            return LocalVote.given(KnnVote.DEFAULT_TEMPERATURE, "default");
        }
        final Map<String, Integer> labels = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            labels.put(train.id(i), train.label(i));
        }
        final Object k = stack.indexerSetting(IndexerConfig.K_CONFIG);
        final VoteTemperature.Choice choice;
        try {
            choice = VoteCalibration.choose(
                    stack.trainerConfig(),
                    labels,
                    data.classNames().size(),
                    k == null ? KnnVote.DEFAULT_K : Integer.parseInt(k.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the trainer's checkpoint to choose the vote's T", e);
        }
        final double paper = choice.accuracyAt(KnnVote.DEFAULT_TEMPERATURE);
        err.printf(
                Locale.ROOT,
                "vote: T %s chosen on %,d held-out training images (validation kNN %.1f%%, %.1f%% at the paper's "
                        + "%s); the indexer answers with it (--set %s=T fixes T)%n",
                choice.temperature(),
                choice.validationRows(),
                100 * choice.chosenAccuracy(),
                100 * paper,
                KnnVote.DEFAULT_TEMPERATURE,
                IndexerConfig.TEMPERATURE_CONFIG);
        if (choice.temperature() != KnnVote.DEFAULT_TEMPERATURE) {
            stack.restartIndexer(Map.of(IndexerConfig.TEMPERATURE_CONFIG, choice.temperature()));
        }
        return new LocalVote(
                choice.temperature(), "validation", choice.chosenAccuracy(), paper, choice.validationRows());
    }

    private long awaitFinalModel() throws InterruptedException {
        final long version = stack.trainer().status().modelVersion();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (stack.embedder().status().modelVersion() < version && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return stack.embedder().status().modelVersion();
    }

    /**
     * Returns what the streamed run measured: the rate, how long the images took to send, and the accuracy probes
     * over time (seconds since the first image, images sent and stored, step, epoch, lag, kNN top-1).
     *
     * @return the figures for the summary JSON, or null when the run did not stream
     */
    public Map<String, Object> streamFigures() {
        return stream == null ? null : stream.figures();
    }

    private void probe(final LocalImages probeSet, final long epoch) {
        queries.probe(probeSet, epoch, "probe-" + epoch);
    }

    /**
     * Waits until every acknowledged image is in the memory bank or was refused by the trainer (dead-lettered,
     * e.g. a photo it cannot decode), so that a bad file cannot stall the run.
     *
     * @return the System.nanoTime() when it was so
     */
    private long awaitStored(final long acknowledged, final long timeoutSeconds) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            final long rows = stack.trainer().status() == null
                    ? 0
                    : stack.trainer().status().rows();
            final long refused = stack.trainer().rejectedByReason().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            if (rows + refused >= acknowledged) {
                if (refused > 0) {
                    err.println("ingest: the trainer refused " + stack.trainer().rejectedByReason()
                            + " (dead-letters topic)");
                }
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the trainer stored " + rows + " and refused " + refused + " of "
                        + acknowledged + " images within " + timeoutSeconds + " s");
            }
            Thread.sleep(INGEST_POLL_MS);
        }
    }
}
