package io.npid.deploy.local;

import io.npid.deploy.client.DatasetIngestor;
import io.npid.deploy.client.IngestResult;
import io.npid.deploy.process.Progress;
import io.npid.deploy.report.StreamPoint;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code npid local --stream-rate}: the training images arrive at a fixed rate while the model trains and serves,
 * a chosen share of them with their label, and the accuracy is probed through the pipeline as they come.
 */
final class TrainingStream {
    private final LocalStack stack;
    private final TrainingRecorder recorder;
    private final LiveQueries queries;
    private final PrintWriter err;
    private final String dataName;
    private final int rate;
    private final double labelFraction;
    private final long seed;
    private final List<Map<String, Object>> probes = new ArrayList<>();
    private final List<StreamPoint> points = new ArrayList<>();
    private BitSet labelledImages = new BitSet();
    private int labelledCount;
    private double sendSeconds = Double.NaN;

    /**
     * Prepares a stream.
     *
     * @param stack the running processes
     * @param recorder the trainer's recorder
     * @param queries asks the pipeline for the probes
     * @param err where progress goes
     * @param dataName the data set's name, for the ids
     * @param rate training images sent per second
     * @param labelFraction the share of images whose label is sent, 0 to 1
     * @param seed chooses which images are labelled
     */
    TrainingStream(
            final LocalStack stack,
            final TrainingRecorder recorder,
            final LiveQueries queries,
            final PrintWriter err,
            final String dataName,
            final int rate,
            final double labelFraction,
            final long seed) {
        if (rate <= 0) {
            throw new IllegalArgumentException("stream rate " + rate + " must be more than 0");
        }
        if (!(labelFraction >= 0 && labelFraction <= 1)) {
            throw new IllegalArgumentException("stream label fraction " + labelFraction + " must be 0 to 1");
        }
        this.stack = stack;
        this.recorder = recorder;
        this.queries = queries;
        this.err = err;
        this.dataName = dataName;
        this.rate = rate;
        this.labelFraction = labelFraction;
        this.seed = seed;
    }

    /** @return the probes as points of the report's accuracy-over-time chart */
    List<StreamPoint> points() {
        return List.copyOf(points);
    }

    /**
     * Returns what the streamed run measured: the rate, how long the images took to send, and the accuracy probes
     * over time (seconds since the first image, images sent and stored, step, epoch, lag, kNN top-1).
     *
     * @return the figures for the summary JSON
     */
    Map<String, Object> figures() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate_images_per_s", rate);
        m.put("send_seconds", sendSeconds);
        m.put("label_fraction", labelFraction);
        m.put("images_labelled", labelledCount);
        m.put("probes", List.copyOf(probes));
        return m;
    }

    /**
     * Sends the training images at the stream rate on a thread of its own while this one probes the accuracy
     * through the pipeline at intervals (at most {@link LocalScenario#MAX_PROBES} over the stream, at least 5 s apart).
     *
     * @param train the training images
     * @param probeSet the images the probes ask about
     * @param start when the stream started (System.nanoTime())
     * @return what was sent
     * @throws InterruptedException when interrupted
     * @throws ExecutionException when sending failed
     */
    IngestResult send(final LocalImages train, final LocalImages probeSet, final long start)
            throws InterruptedException, ExecutionException {
        final AtomicInteger sentCount = new AtomicInteger();
        final BitSet labelled = labelledImages(train.size(), labelFraction, seed);
        labelledCount = labelled.cardinality();
        labelledImages = labelled;
        final CompletableFuture<IngestResult> sending = new CompletableFuture<>();
        final Thread sender = new Thread(
                () -> {
                    try (DatasetIngestor ingestor = new DatasetIngestor(stack.client(), stack.topics())) {
                        final DatasetIngestor.Run run = ingestor.start(
                                true,
                                dataName,
                                new Progress(err, "stream", "images", train.size()),
                                skip -> err.println("stream: skipped " + skip.getMessage()));
                        for (int i = 0; i < train.size(); i++) {
                            final long due = start + (long) (i * 1e9 / rate);
                            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                                LockSupport.parkNanos(due - now);
                            }
                            run.send(train.input(i), labelled.get(i));
                            sentCount.set(i + 1);
                        }
                        sending.complete(run.finish());
                    } catch (RuntimeException e) {
                        sending.completeExceptionally(e);
                    }
                },
                "npid-local-stream");
        sender.setDaemon(true);
        sender.start();
        final long streamNanos = (long) (train.size() * 1e9 / rate);
        final long probeEvery = Math.max(TimeUnit.SECONDS.toNanos(5), streamNanos / LocalScenario.MAX_PROBES);
        long nextProbe = start + probeEvery;
        while (true) {
            try {
                final IngestResult done = sending.get(Math.max(1, nextProbe - System.nanoTime()), TimeUnit.NANOSECONDS);
                sendSeconds = (System.nanoTime() - start) / 1e9;
                probe(probeSet, start, sentCount.get());
                return done;
            } catch (TimeoutException probeDue) {
                probe(probeSet, start, sentCount.get());
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
    static BitSet labelledImages(final int n, final double fraction, final long seed) {
        final int count = (int) Math.round(n * fraction);
        final int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        final Random random = new Random(seed);
        final BitSet chosen = new BitSet(n);
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

    private void probe(final LocalImages probeSet, final long start, final int sent) {
        final var status = stack.trainer().status();
        final double seconds = (System.nanoTime() - start) / 1e9;
        final double accuracy = queries.probe(probeSet, recorder.completedEpochs(), "probe-t" + probes.size());
        final Map<String, Object> point = new LinkedHashMap<>();
        point.put("seconds", seconds);
        point.put("images_sent", sent);
        final int labelledSent = labelledImages.get(0, sent).cardinality();
        point.put("images_labelled", labelledSent);
        point.put("images_stored", status.rows());
        point.put("step", status.step());
        point.put("epoch", status.epoch());
        point.put("lag", status.lag());
        point.put("knn_top1", accuracy);
        probes.add(point);
        points.add(new StreamPoint(seconds, sent, labelledSent, status.rows(), accuracy));
    }
}
