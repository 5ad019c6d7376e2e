package io.npid.trainer.stream;

import io.npid.schemas.DeadLetters;
import io.npid.schemas.Topics;
import io.npid.store.FeatureStore;
import io.npid.store.TrainerProgress;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.checkpoint.CheckpointMeta;
import io.npid.trainer.checkpoint.CheckpointSchedule;
import io.npid.trainer.checkpoint.ModelCheckpointPublisher;
import io.npid.trainer.checkpoint.TrainerCheckpointer;
import io.npid.trainer.data.BatchScheduler;
import io.npid.trainer.data.FeatureStoreImageSource;
import io.npid.trainer.model.EncoderSpec;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iteration at a time of the streaming trainer: take over what ingest stored, step, publish, checkpoint, report.
 *
 * <p>This runs on the training thread, which owns the learner and the bank writes of steps and refreshes. Ingest
 * runs beside it on {@code npid.trainer.ingest.threads} {@link IngestWorker}s, each with its own consumer and its
 * own copy of the weights, handed over from here every {@link #WEIGHTS_INTERVAL_MS} of training and at every
 * checkpoint; their results come back through a queue that every iteration drains (new bank rows, labels,
 * rejections). See {@link TrainerResources} for the restart rule and {@link Ingestor} for the exactly-once ingest.
 */
final class TrainerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerLoop.class);
    /**
     * How often the training thread hands its weights to the ingest threads while it steps: new images are embedded
     * by a model at most this much training behind (serialising and copying a small encoder costs milliseconds).
     */
    static final long WEIGHTS_INTERVAL_MS = 2_000;
    /** Put in the hand-over queue to end a wait for ingest results at once (a stop request). */
    private static final Ingestor.Result WAKE = new Ingestor.Result(0, 0, new int[0], new float[0], 0, new int[0],
            List.of());

    private final StreamingTrainerConfig config;
    private final TrainerListener listener;
    private final CompletableFuture<TrainerStatus> completion;
    private final LongSupplier clock = System::currentTimeMillis;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final BitSet relabelled = new BitSet();

    private volatile FeatureStore store;
    private NpidLearner learner;
    private final Object commitLock = new Object();
    private final LinkedBlockingQueue<Ingestor.Result> handoff = new LinkedBlockingQueue<>();
    private final List<IngestWorker> workers = new ArrayList<>();
    private LatestWeights weights;
    private long lastWeightsMs;
    private DeadLetterSink deadLetters;
    private FeaturePublisher features;
    private PendingFeatures pending;
    private TrainerCheckpointer checkpointer;
    private CheckpointSchedule schedule;
    private TrainStage training;
    private BankRefresh refresh;
    private Runnable epochEndAfterRefresh;
    private ProgressMeter meter;
    private long modelVersion;
    private long lag = -1;
    private double epochLoss;
    private long epochSteps;
    private volatile TrainerStatus status;

    TrainerLoop(final StreamingTrainerConfig config, final TrainerListener listener,
                final CompletableFuture<TrainerStatus> completion) {
        this.config = config;
        this.listener = listener;
        this.completion = completion;
    }

    /** Opens everything, announces the current model and seeks to the stored offsets. */
    void open() {
        final long now = clock.getAsLong();
        try {
            Files.createDirectories(config.dataDir());
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot create " + StreamingTrainerConfig.DATA_DIR_CONFIG + " "
                    + config.dataDir(), e);
        }
        TrainerResources.ensureTopics(config);
        final Topics topics = config.topics();
        final CheckpointDirectory directory = new CheckpointDirectory(config.checkpointDir(), config.checkpointKeep());
        final Optional<CheckpointDirectory.Checkpoint> latest = directory.latest();
        store = keep(TrainerResources.openStore(config, latest));
        learner = keep(TrainerResources.openLearner(config.learner(), latest, store));
        final KafkaProducer<byte[], byte[]> producer = keep(TrainerResources.producer(config, false));
        final KafkaProducer<byte[], byte[]> large = keep(TrainerResources.producer(config, true));
        deadLetters = new DeadLetterSink(producer, topics.deadLetters(), new DeadLetters("trainer"));
        features = new FeaturePublisher(producer, topics.features(), store, clock);
        pending = new PendingFeatures(config.publishIntervalMs(), now);
        checkpointer = new TrainerCheckpointer(directory, new ModelCheckpointPublisher(large, topics.checkpoints(),
                config.modelName(), clock, Duration.ofSeconds(60)), config.modelName(),
                config.effectiveSettings());
        final BatchScheduler scheduler = new BatchScheduler(learner.config().batchSize(), learner.config().seed());
        // A live store older than the checkpoint (fewer rows) cannot replay the checkpoint's permutation.
        latest.filter(c -> c.meta().batchEpochSize() <= store.size()).ifPresent(c -> scheduler.restore(
                new BatchScheduler.State(c.meta().batchEpoch(), c.meta().batchCursor(), c.meta().batchEpochSize())));
        final FeatureStoreImageSource source = new FeatureStoreImageSource(store);
        training = keep(new TrainStage(learner, scheduler, source, store.size(),
                latest.map(c -> c.meta().epoch()).orElse(0L), config.epochs(), config.train()));
        refresh = new BankRefresh(learner, source, learner.config().bankRefreshEpochs());
        weights = new LatestWeights(EncoderSpec.fromMap(learner.encoderConfig()));
        meter = new ProgressMeter(config.progressIntervalMs(), learner.config().batchSize(), now);
        schedule = new CheckpointSchedule(config.checkpointIntervalSteps(), config.checkpointIntervalMs(),
                learner.stepCount(), now);
        if (latest.isPresent()) {
            // Re-announce: a crash may have come between the pointer flip and the publication.
            modelVersion = latest.get().meta().version();
            checkpointer.publish(modelVersion, learner);
        } else {
            // Version 1 at step 0, so that embedders can answer queries before the first trained checkpoint.
            checkpoint();
        }
        handWeights(now);
        if (config.republishOnStart()) {
            final int published = features.publishAll(learner.stepCount(), modelVersion);
            LOG.debug("Republished {} bank rows at start", published);
        }
        startIngest(topics, producer);
        LOG.info("Trainer started: {} rows, step {}, epoch {}, model v{}, store {}", store.size(),
                learner.stepCount(), training.completedEpochs(), modelVersion, store.path());
        if (training.complete()) {
            announceComplete();
        }
        status = meter.snapshot(now, learner.stepCount(), training.completedEpochs(), store.size(), modelVersion,
                lag, training.complete());
    }

    /**
     * Runs one iteration: poll, ingest, at most one step (or one slice of a bank refresh), then whatever
     * publication, checkpoint or report is due.
     *
     * @throws InterruptedException when interrupted while waiting for a batch
     */
    void runOnce() throws InterruptedException {
        checkIngest();
        final boolean busy = training.ready() || refresh.active();
        drainIngest(busy ? 0 : config.pollTimeoutMs());
        final boolean wasComplete = training.complete();
        training.inputCaughtUp(ingestCaughtUp());
        if (!wasComplete && training.complete() && !refresh.active()) {
            // the last epoch ended while the input was still arriving; it has caught up since
            completeTraining();
        }
        // decided before the slice: an iteration that ends a paused refresh does not also step, as before
        final boolean mayStep = !refresh.pausesTraining();
        if (refresh.active()) {
            refreshSlice();
        }
        if (mayStep) {
            final TrainStage.Step step = training.step(busy ? config.loaderWaitMs() : 0);
            if (step != null) {
                afterStep(step);
                if (clock.getAsLong() - lastWeightsMs >= WEIGHTS_INTERVAL_MS) {
                    handWeights(clock.getAsLong());
                }
            }
        }
        final long now = clock.getAsLong();
        if ((pending.size() > 0 || !relabelled.isEmpty()) && pending.intervalPassed(now)) {
            publishPending(now);
        }
        if (schedule.due(learner.stepCount(), now)) {
            checkpoint();
        }
        lag = ingestLag();
        if (meter.due(now)) {
            report(now);
        }
        status = meter.snapshot(now, learner.stepCount(), training.completedEpochs(), store.size(), modelVersion,
                lag, training.complete());
    }

    /** Takes over the ingest results that wait, first waiting up to {@code waitMs} for one. */
    private void drainIngest(final long waitMs) throws InterruptedException {
        Ingestor.Result result = waitMs > 0 ? handoff.poll(waitMs, TimeUnit.MILLISECONDS) : handoff.poll();
        while (result != null) {
            if (result != WAKE) {
                takeOver(result);
            }
            result = handoff.poll();
        }
    }

    /**
     * Gives the learner and the batch scheduler the rows an ingest thread stored (their features were published by
     * it already), and counts and reports the ingest.
     */
    private void takeOver(final Ingestor.Result result) {
        if (result.newRows().length > 0) {
            if (result.newRows()[0] != learner.bankSize()) {
                throw new IllegalStateException("Ingest stored row " + result.newRows()[0] + " but the bank has "
                        + learner.bankSize() + " rows");
            }
            learner.appendBankRows(result.newVectors());
            training.rowsAdded(result.newRows(), learner.bankSize());
        }
        for (final int row : result.relabelledRows()) {
            relabelled.set(row);
        }
        for (final Ingestor.Rejection rejection : result.rejections()) {
            listener.onRejected(rejection.topic(), rejection.reason());
        }
        meter.ingested(result.records(), result.images(), result.rejections().size());
        listener.onIngest(result.images(), result.newRows().length, result.labels(), learner.bankSize());
    }

    /** Stops the trainer with what stopped an ingest thread. */
    private void checkIngest() {
        for (final IngestWorker worker : workers) {
            final Throwable failure = worker.failure();
            if (failure != null) {
                throw new IllegalStateException("Ingest stopped: " + failure, failure);
            }
        }
    }

    /** Whether every ingest thread is caught up and the training thread has taken over all they stored. */
    private boolean ingestCaughtUp() {
        final long now = clock.getAsLong();
        for (final IngestWorker worker : workers) {
            if (!worker.caughtUp(now)) {
                return false;
            }
        }
        return handoff.isEmpty();
    }

    /** Hands the current weights to the ingest threads (they copy them before their next ingest). */
    private void handWeights(final long now) {
        weights.publish(new LatestWeights.Snapshot(learner.stepCount(), modelVersion, learner.encoderParameters()));
        lastWeightsMs = now;
    }

    private void afterStep(final TrainStage.Step step) {
        final StepResult result = step.result();
        final double z = Double.isFinite(result.z()) && result.z() > 0 ? result.z() : Double.NaN;
        store.writeBank(result.rows(), result.newBankRows(),
                new TrainerProgress(result.step(), step.completedEpochs(), modelVersion, z));
        pending.offer(result.rows(), result.newBankRows(), store.dimension(), result.step(), modelVersion);
        meter.stepped(result.loss());
        epochLoss += result.loss();
        epochSteps++;
        listener.onStep(result.step(), step.completedEpochs() - (step.epochEnded() ? 1 : 0), result.loss(),
                store.size());
        if (step.epochEnded()) {
            final long epoch = step.completedEpochs();
            final double meanLoss = epochLoss / epochSteps;
            epochLoss = 0;
            epochSteps = 0;
            if (refresh.startIfDue(epoch, learner.bankSize())) {
                LOG.info("Refreshing the bank: re-embedding {} rows with the model of step {}{}", refresh.rows(),
                        result.step(), refresh.pausesTraining() ? "" : ", spread over the next steps");
            }
            if (refresh.pausesTraining()) {
                // the epoch ends with its refresh, so that listeners (npid local's probes) see the refreshed bank
                epochEndAfterRefresh = () -> endEpoch(epoch, result.step(), meanLoss);
            } else {
                endEpoch(epoch, result.step(), meanLoss);
            }
        }
        if (training.complete() && !refresh.active()) {
            completeTraining();
        }
    }

    private void refreshSlice() {
        final BankRefresh.Slice slice = refresh.runSlice();
        store.writeBank(slice.rows(), slice.vectors(), null);
        pending.offer(slice.rows(), slice.vectors(), store.dimension(), learner.stepCount(), modelVersion);
        if (slice.last()) {
            LOG.info("Bank refreshed: {} rows in {} s", refresh.rows(), String.format("%.1f",
                    refresh.elapsedSeconds()));
            publishPending(clock.getAsLong());
            if (epochEndAfterRefresh != null) {
                epochEndAfterRefresh.run();
                epochEndAfterRefresh = null;
            }
            if (training.complete()) {
                completeTraining();
            }
        }
    }

    private void endEpoch(final long epoch, final long step, final double meanLoss) {
        LOG.info("Epoch {} done at step {}, mean loss {}", epoch, step, String.format("%.4f", meanLoss));
        listener.onEpochEnd(epoch, step, meanLoss);
    }

    private void completeTraining() {
        checkpoint();
        publishPending(clock.getAsLong());
        features.flush();
        announceComplete();
    }

    /** Publishes the pending rows, plus relabelled rows whose vector must be read back from the store. */
    private void publishPending(final long now) {
        final List<PendingFeatures.Row> rows = new ArrayList<>(pending.drain(now));
        for (final PendingFeatures.Row row : rows) {
            relabelled.clear(row.row());
        }
        if (!relabelled.isEmpty()) {
            final BitSet wanted = (BitSet) relabelled.clone();
            relabelled.clear();
            store.forEachRow((id, row, className, vector) -> {
                if (wanted.get(row) && vector != null) {
                    rows.add(new PendingFeatures.Row(row, vector, learner.stepCount(), modelVersion));
                }
            });
        }
        features.publish(rows);
    }

    private void checkpoint() {
        final long now = clock.getAsLong();
        final CheckpointMeta meta;
        // No ingest commits meanwhile: the snapshot's rows and offsets are those of the metadata.
        synchronized (commitLock) {
            try {
                drainIngest(0);
            } catch (final InterruptedException e) {
                throw new IllegalStateException("unreachable: a drain without waiting", e);
            }
            meta = checkpointer.write(modelVersion + 1, learner, store, training.completedEpochs(),
                    training.position(), now);
        }
        modelVersion = meta.version();
        handWeights(clock.getAsLong());
        schedule.taken(meta.step(), now);
        LOG.info("Checkpoint v{} at step {} ({} rows) in {} ms", meta.version(), meta.step(), meta.rows(),
                clock.getAsLong() - now);
        listener.onCheckpoint(meta);
    }

    private void report(final long now) {
        final TrainerStatus report = meter.report(now, learner.stepCount(), training.completedEpochs(), store.size(),
                modelVersion, lag, training.complete());
        LOG.info("Trainer: {}", report.toLogLine());
        listener.onProgress(report);
    }

    private void announceComplete() {
        final TrainerStatus done = meter.snapshot(clock.getAsLong(), learner.stepCount(),
                training.completedEpochs(), store.size(), modelVersion, lag, true);
        LOG.info("Training complete after {} epochs ({} steps); ingest and publication go on",
                done.epoch(), done.step());
        listener.onTrainingComplete(done);
        completion.complete(done);
    }

    /**
     * Starts the ingest threads, each on its share of the images and labels partitions, positioned at the offsets
     * the store committed (the beginning for a partition never consumed).
     */
    private void startIngest(final Topics topics, final KafkaProducer<byte[], byte[]> producer) {
        final KafkaConsumer<byte[], byte[]> first = keep(TrainerResources.consumer(config, 0));
        final List<TopicPartition> partitions = TrainerResources.partitions(first, topics.images().name(),
                topics.labels().name());
        final int threads = Math.min(config.ingestThreads(), partitions.size());
        final InputRecordValidator validator = new InputRecordValidator(config.imageLimits());
        for (int i = 0; i < threads; i++) {
            final KafkaConsumer<byte[], byte[]> consumer = i == 0 ? first
                    : keep(TrainerResources.consumer(config, i));
            final List<TopicPartition> share = new ArrayList<>();
            for (int p = i; p < partitions.size(); p += threads) {
                share.add(partitions.get(p));
            }
            assignAndSeek(consumer, share);
            final IngestEncoder encoder = new IngestEncoder(weights);
            final Ingestor ingestor = new Ingestor(store, encoder, learner.inputChannels(), validator, deadLetters,
                    new FeaturePublisher(producer, topics.features(), store, clock), topics.images().name(),
                    config.embedBatchSize(), config.storedImageSide(), clock, commitLock, handoff::add);
            workers.add(keep(new IngestWorker("npid-ingest-" + i, consumer, ingestor, encoder,
                    config.pollTimeoutMs(), clock)));
        }
        workers.forEach(IngestWorker::start);
    }

    private void assignAndSeek(final KafkaConsumer<byte[], byte[]> consumer, final List<TopicPartition> partitions) {
        consumer.assign(partitions);
        final Map<TopicPartition, Long> stored = store.offsets();
        final List<TopicPartition> fresh = new ArrayList<>();
        for (final TopicPartition partition : partitions) {
            final Long next = stored.get(partition);
            if (next == null) {
                fresh.add(partition);
            } else {
                consumer.seek(partition, next);
            }
        }
        if (!fresh.isEmpty()) {
            // an empty collection would mean every assigned partition: a restart would read everything again
            consumer.seekToBeginning(fresh);
        }
    }

    /** Records behind the end of the input as of the ingest threads' last fetches, or -1 when unknown. */
    private long ingestLag() {
        long total = 0;
        for (final IngestWorker worker : workers) {
            final long workerLag = worker.lag();
            if (workerLag < 0) {
                return -1;
            }
            total += workerLag;
        }
        return total;
    }

    /** Takes a final checkpoint if training moved, and publishes what is pending (a clean stop). */
    void finish() throws InterruptedException {
        if (learner == null) {
            return;
        }
        // Ingest stops first, so that the final checkpoint holds all that was stored.
        workers.forEach(IngestWorker::close);
        drainIngest(0);
        if (learner.stepCount() > schedule.lastStep()) {
            checkpoint();
        }
        publishPending(clock.getAsLong());
        features.flush();
        deadLetters.flush();
    }

    /** Makes a wait for ingest results return at once (thread-safe). */
    void wakeup() {
        handoff.add(WAKE);
    }

    /** @return the images column family's table bytes per row (thread-safe: the store guards its reads) */
    double storedImageBytesPerImage() {
        final FeatureStore s = store;
        final int rows = s == null ? 0 : s.size();
        return rows == 0 ? Double.NaN : (double) s.diskUsage().tableBytes("images") / rows;
    }

    /** @return the latest status snapshot (thread-safe) */
    TrainerStatus status() {
        return status;
    }

    /** @return the dead letters sent per reason (thread-safe) */
    Map<String, Long> rejectedByReason() {
        final DeadLetterSink sink = deadLetters;
        return sink == null ? Map.of() : sink.countsByReason();
    }

    private <T extends AutoCloseable> T keep(final T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (final Exception e) {
                LOG.warn("Closing {} failed: {}", resources.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        resources.clear();
    }
}
