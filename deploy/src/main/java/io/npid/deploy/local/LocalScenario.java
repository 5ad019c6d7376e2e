package io.npid.deploy.local;

import io.npid.deploy.process.Progress;
import io.npid.deploy.client.DatasetIngestor;
import io.npid.deploy.client.IngestResult;
import io.npid.deploy.client.QueryClient;
import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.client.QueryRequest;
import io.npid.deploy.report.Percentiles;
import io.npid.schemas.event.ClassificationResult;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
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
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    /** Accuracy probes during training, at most: a 100-epoch run on a small set probes every tenth epoch. */
    static final int MAX_PROBES = 10;
    /** How often the ingest wait looks at the trainer's bank size: small against the seconds an ingest takes. */
    private static final long INGEST_POLL_MS = 20;

    private final LocalConfig config;
    private final LocalDataSet data;
    private final LocalStack stack;
    private final TrainingRecorder recorder;
    private final PrintWriter err;
    private final Map<String, Integer> trainIndexById = new HashMap<>();
    private final int streamRate;
    private final double streamLabels;
    private int streamLabelled;
    private final List<Map<String, Object>> streamProbes = new java.util.ArrayList<>();
    private final List<io.npid.deploy.report.StreamPoint> streamPoints = new java.util.ArrayList<>();
    private java.util.BitSet streamLabelledImages = new java.util.BitSet();
    private double streamSeconds = Double.NaN;

    /**
     * Prepares the scenario.
     *
     * @param config the run's settings
     * @param data the images
     * @param stack the running processes
     * @param recorder the trainer's recorder
     * @param err where progress goes
     */
    public LocalScenario(final LocalConfig config, final LocalDataSet data, final LocalStack stack,
        final TrainingRecorder recorder, final PrintWriter err) {
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
    public LocalScenario(final LocalConfig config, final LocalDataSet data, final LocalStack stack,
        final TrainingRecorder recorder, final PrintWriter err, final int streamRate, final double streamLabels) {
        if (streamRate < 0) {
            throw new IllegalArgumentException("stream rate " + streamRate + " must be 0 or more");
        }
        if (!(streamLabels >= 0 && streamLabels <= 1)) {
            throw new IllegalArgumentException("stream label fraction " + streamLabels + " must be 0 to 1");
        }
        this.streamRate = streamRate;
        this.streamLabels = streamLabels;
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
        if (streamRate > 0) {
            // training is on from the start; the images arrive at the rate while it trains and queries are answered
            stack.restartTrainer(Map.of(StreamingTrainerConfig.TRAIN_CONFIG, true));
            sent = stream(train, probeSet, ingestStart);
        } else {
            try (DatasetIngestor ingestor = new DatasetIngestor(stack.client(), stack.topics())) {
                final DatasetIngestor.Run run = ingestor.start(true, data.name(), new Progress(err, "ingest",
                    "images", train.size()), skip -> err.println("ingest: skipped " + skip.getMessage()));
                for (int i = 0; i < train.size(); i++) {
                    run.send(train.input(i));
                }
                sent = run.finish();
            }
        }
        final long stored = awaitStored(sent.images(), Math.max(300, train.size() / 50));
        final int n = stack.trainer().status().rows();
        final double ingestRate = n / ((stored - ingestStart) / 1e9);
        err.printf(Locale.ROOT, "ingest: all %,d images in the memory bank after %s (%s images/s)%s%n", n,
            Progress.duration((stored - ingestStart) / 1e9), Progress.rate(ingestRate), n < train.size() ? String.format(
                Locale.ROOT, "; %,d not stored (skipped, or in dead-letters with their reason)", train.size() - n)
                : "");

        // Step 2: train for the configured epochs while serving; probe accuracy through the pipeline at most
        // MAX_PROBES times (every epoch of a short run, every few of a long one).
        // The trainer ran serve-only so far (new rows embedded and published, no steps), so that the epochs count
        // passes over the whole set; it restarts from its checkpoint with training on.
        if (streamRate == 0) {
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
        probe(probeSet, config.epochs());

        // Step 4: stream the test images as queries and read every answer
        final List<QueryOutcome> outcomes = query(data.test(), "query", IN_FLIGHT);
        int correct = 0;
        int answered = 0;
        int duplicates = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            final QueryOutcome o = outcomes.get(i);
            duplicates += o.duplicates();
            if (o.answered()) {
                answered++;
                correct += isRight(o.result(), data.test(), i) ? 1 : 0;
            }
        }
        final double[] latencies = outcomes.stream().filter(QueryOutcome::answered)
            .mapToDouble(QueryOutcome::latencyMs).toArray();
        final LocalSummary summary = new LocalSummary(data.description(), config.backbone(), n, config.epochs(),
            outcomes.size(), answered, correct, duplicates, Percentiles.of(latencies, 50),
            Percentiles.of(latencies, 99), java.util.Arrays.stream(latencies).average().orElse(Double.NaN),
            ingestRate, sent.imagesPerSecond(), recorder.trainImagesPerSecond(), training.done(), trainSeconds,
            version, (System.nanoTime() - startNanos) / 1e9, recorder.curve(),
            latencySplit(outcomes), stack.trainer().storedImageBytesPerImage());
        final LocalSummary traced = summary.withSettings(stack.effectiveTrainerSettings());
        return new LocalRun(traced, LocalReport.build(data, trainIndexById, outcomes, traced, streamPoints),
            outcomes);
    }

    /**
     * Whether the pipeline named the query's true class: a class is its name, so the answer's class name is compared
     * with the name of the image's class in its data set.
     *
     * @param result the answer
     * @param truth the queried images
     * @param i the index of the query's image
     * @return true when the answer names the image's class
     */
    static boolean isRight(final ClassificationResult result, final LocalImages truth, final int i) {
        return truth.input(i).className().equals(result.getClassName());
    }

    /** Median time of each stage, from the timestamps the embedder and indexer put in each result. */
    static Map<String, Double> latencySplit(final List<QueryOutcome> outcomes) {
        final List<QueryOutcome> answered = outcomes.stream().filter(QueryOutcome::answered).toList();
        if (answered.isEmpty()) {
            return Map.of();
        }
        final double[] embed = new double[answered.size()];
        final double[] index = new double[answered.size()];
        final double[] deliver = new double[answered.size()];
        for (int i = 0; i < answered.size(); i++) {
            final var r = answered.get(i).result();
            embed[i] = r.getEmbeddedTimestampMs() - r.getQueryTimestampMs();
            index[i] = r.getAnsweredTimestampMs() - r.getEmbeddedTimestampMs();
            deliver[i] = answered.get(i).latencyMs() - (r.getAnsweredTimestampMs() - r.getQueryTimestampMs());
        }
        final Map<String, Double> split = new java.util.LinkedHashMap<>();
        split.put("embed", Percentiles.of(embed, 50));
        split.put("index", Percentiles.of(index, 50));
        split.put("deliver", Percentiles.of(deliver, 50));
        return split;
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
        if (streamRate == 0) {
            return null;
        }
        final Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("rate_images_per_s", streamRate);
        m.put("send_seconds", streamSeconds);
        m.put("label_fraction", streamLabels);
        m.put("images_labelled", streamLabelled);
        m.put("probes", List.copyOf(streamProbes));
        return m;
    }

    /**
     * Sends the training images at the stream rate on a thread of its own while this one probes the accuracy
     * through the pipeline at intervals (at most MAX_PROBES over the stream, at least 5 s apart).
     */
    private IngestResult stream(final LocalImages train, final LocalImages probeSet, final long start)
        throws InterruptedException, ExecutionException {
        final java.util.concurrent.atomic.AtomicInteger sentCount = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.BitSet labelled = labelledImages(train.size(), streamLabels, config.seed());
        streamLabelled = labelled.cardinality();
        streamLabelledImages = labelled;
        final java.util.concurrent.CompletableFuture<IngestResult> sending = new java.util.concurrent
            .CompletableFuture<>();
        final Thread sender = new Thread(() -> {
            try (DatasetIngestor ingestor = new DatasetIngestor(stack.client(), stack.topics())) {
                final DatasetIngestor.Run run = ingestor.start(true, data.name(), new Progress(err, "stream",
                    "images", train.size()), skip -> err.println("stream: skipped " + skip.getMessage()));
                for (int i = 0; i < train.size(); i++) {
                    final long due = start + (long) (i * 1e9 / streamRate);
                    for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(due - now);
                    }
                    run.send(train.input(i), labelled.get(i));
                    sentCount.set(i + 1);
                }
                sending.complete(run.finish());
            } catch (RuntimeException e) {
                sending.completeExceptionally(e);
            }
        }, "npid-local-stream");
        sender.setDaemon(true);
        sender.start();
        final long streamNanos = (long) (train.size() * 1e9 / streamRate);
        final long probeEvery = Math.max(TimeUnit.SECONDS.toNanos(5), streamNanos / MAX_PROBES);
        long nextProbe = start + probeEvery;
        while (true) {
            try {
                final IngestResult done = sending.get(Math.max(1, nextProbe - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
                streamSeconds = (System.nanoTime() - start) / 1e9;
                streamProbe(probeSet, start, sentCount.get());
                return done;
            } catch (TimeoutException probeDue) {
                streamProbe(probeSet, start, sentCount.get());
                nextProbe = System.nanoTime() + probeEvery;
            }
        }
    }

    /**
     * Which of the streamed images get their label sent: round(n * fraction) of them, chosen by a shuffle seeded
     * with the run's seed, so that a run labels the same images every time and the labelled ones are spread over
     * the whole stream (not its first part).
     *
     * @param n the images streamed
     * @param fraction the share to label, 0 to 1
     * @param seed the run's seed
     * @return the indexes of the images to label
     */
    static java.util.BitSet labelledImages(final int n, final double fraction, final long seed) {
        final int count = (int) Math.round(n * fraction);
        final int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        final java.util.Random random = new java.util.Random(seed);
        final java.util.BitSet chosen = new java.util.BitSet(n);
        // a partial Fisher-Yates shuffle: the first count places hold a uniform sample without repetition
        for (int i = 0; i < count; i++) {
            final int j = i + random.nextInt(n - i);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            chosen.set(order[i]);
        }
        return chosen;
    }

    private void streamProbe(final LocalImages probeSet, final long start, final int sent) {
        final var status = stack.trainer().status();
        final double seconds = (System.nanoTime() - start) / 1e9;
        final double accuracy = probe(probeSet, recorder.completedEpochs(), "probe-t" + streamProbes.size());
        final Map<String, Object> point = new java.util.LinkedHashMap<>();
        point.put("seconds", seconds);
        point.put("images_sent", sent);
        final int labelledSent = streamLabelledImages.get(0, sent).cardinality();
        point.put("images_labelled", labelledSent);
        point.put("images_stored", status.rows());
        point.put("step", status.step());
        point.put("epoch", status.epoch());
        point.put("lag", status.lag());
        point.put("knn_top1", accuracy);
        streamProbes.add(point);
        streamPoints.add(new io.npid.deploy.report.StreamPoint(seconds, sent, labelledSent, status.rows(), accuracy));
    }

    private void probe(final LocalImages probeSet, final long epoch) {
        probe(probeSet, epoch, "probe-" + epoch);
    }

    private double probe(final LocalImages probeSet, final long epoch, final String idPrefix) {
        if (probeSet.size() == 0) {
            return Double.NaN;
        }
        final List<QueryOutcome> outcomes = query(probeSet, idPrefix, 8);
        int correct = 0;
        int answered = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).answered()) {
                answered++;
                correct += isRight(outcomes.get(i).result(), probeSet, i) ? 1 : 0;
            }
        }
        final double accuracy = answered == 0 ? Double.NaN : (double) correct / answered;
        recorder.addProbe(accuracy);
        err.printf(Locale.ROOT, "probe: epoch %d, kNN top-1 %.1f%% on %d test queries through the pipeline%n",
            epoch, 100 * accuracy, answered);
        err.flush();
        return accuracy;
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
            final long rows = stack.trainer().status() == null ? 0 : stack.trainer().status().rows();
            final long refused = stack.trainer().rejectedByReason().values().stream().mapToLong(Long::longValue)
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

    /**
     * Streams the images as queries, each read (a file as it is) only when it is sent, so a set of camera photos
     * is never held in memory at once.
     *
     * @return the outcomes, in image order
     */
    private List<QueryOutcome> query(final LocalImages images, final String idPrefix, final int inFlight) {
        final int maxBytes = stack.topics().imageMaxBytes();
        final QueryOutcome[] outcomes = new QueryOutcome[images.size()];
        final Iterator<QueryRequest> requests = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < images.size();
            }

            @Override
            public QueryRequest next() {
                final int i = next++;
                // files were checked against the limit when the data set was loaded; one changed since fails here
                return new QueryRequest(idPrefix + "-" + i, images.image(i, maxBytes), null);
            }
        };
        final boolean quiet = idPrefix.startsWith("probe");
        final Progress progress = new Progress(quiet ? new PrintWriter(java.io.Writer.nullWriter()) : err, "query",
            "answers", images.size());
        try (QueryClient client = new QueryClient(stack.client(), stack.topics(), quiet ? null : stack.registry())) {
            client.stream(requests, inFlight, ANSWER_TIMEOUT, progress, new QueryClient.Listener() {
                @Override
                public void outcome(final QueryOutcome outcome) {
                    outcomes[index(outcome.queryId())] = outcome;
                }

                @Override
                public void duplicate(final String queryId) {
                    final QueryOutcome seen = outcomes[index(queryId)];
                    outcomes[index(queryId)] = new QueryOutcome(queryId, seen.result(), seen.latencyMs(),
                        seen.duplicates() + 1);
                }
            });
            if (!quiet) {
                progress.finish();
            }
            return java.util.Arrays.asList(outcomes);
        }
    }

    /** The image index in a query id {@code <prefix>-<index>}. */
    private static int index(final String queryId) {
        return Integer.parseInt(queryId.substring(queryId.lastIndexOf('-') + 1));
    }
}
