package io.npid.trainer.stream;

import io.npid.schemas.DeadLetters;
import io.npid.schemas.Topics;
import io.npid.store.FeatureStore;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.checkpoint.CheckpointMeta;
import io.npid.trainer.checkpoint.CheckpointSchedule;
import io.npid.trainer.checkpoint.ModelCheckpointPublisher;
import io.npid.trainer.checkpoint.TrainerCheckpointer;
import io.npid.trainer.data.BatchScheduler;
import io.npid.trainer.data.FeatureStoreImageSource;
import io.npid.trainer.model.EncoderSpec;
import io.npid.trainer.train.EpochLoop;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.TrainingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming trainer's loop, one iteration at a time: take over what ingest stored, step (or run a slice of a bank
 * refresh), then let the listeners do what is due. It owns the order of things; the {@link EpochLoop} counts steps
 * and epochs, and checkpointing ({@link CheckpointListener}), feature publication ({@link PublishingListener}), bank
 * refreshes ({@link RefreshListener}) and progress ({@link ProgressListener}) are listeners, in that order.
 *
 * <p>This runs on the training thread, which owns the learner and the bank writes of steps and refreshes. Ingest
 * runs beside it on {@code npid.trainer.ingest.threads} {@link IngestWorker}s ({@link IngestThreads}), each with its
 * own consumer and its own copy of the weights, handed over from here every {@link #WEIGHTS_INTERVAL_MS} of training
 * and at every checkpoint; their results come back through a queue that every iteration drains (new bank rows,
 * labels, rejections). See {@link TrainerResources} for the restart rule and {@link Ingestor} for the exactly-once
 * ingest.
 *
 * <p>It is one file, over 300 lines, because crash safety rests on the order of operations kept here (open from the
 * latest checkpoint, then wire the listeners, then start ingest; take over before stepping; stop ingest before the
 * final checkpoint), and each piece moved out would need most of the loop's fields passed back in.
 */
final class TrainerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerLoop.class);
    /**
     * How often the training thread hands its weights to the ingest threads while it steps: new images are embedded
     * by a model at most this much training behind (serialising and copying a small encoder costs milliseconds).
     */
    static final long WEIGHTS_INTERVAL_MS = 2_000;

    private final StreamingTrainerConfig config;
    private final TrainerListener listener;
    private final CompletableFuture<TrainerStatus> completion;
    private final LongSupplier clock = System::currentTimeMillis;
    private final List<AutoCloseable> resources;
    private final Optional<CheckpointDirectory.Checkpoint> latest;
    private final FeatureStore store;
    private final NpidLearner learner;
    private final DeadLetterSink deadLetters;
    private final KafkaProducer<byte[], byte[]> producer;
    private final IngestThreads ingest;
    private final EpochLoop training;
    private final PublishingListener publishing;
    private final CheckpointListener checkpoints;
    private final RefreshListener refresh;
    private final ProgressListener progress;
    private final List<LoopListener> listeners;
    private long lastWeightsMs;

    private TrainerLoop(
            final StreamingTrainerConfig config,
            final TrainerListener listener,
            final CompletableFuture<TrainerStatus> completion,
            final List<AutoCloseable> resources) {
        this.config = config;
        this.listener = listener;
        this.completion = completion;
        this.resources = resources;
        final long now = clock.getAsLong();
        TrainerResources.ensureTopics(config);
        final Topics topics = config.topics();
        final CheckpointDirectory directory = new CheckpointDirectory(config.checkpointDir(), config.checkpointKeep());
        latest = directory.latest();
        store = keep(TrainerResources.openStore(config, latest));
        learner = keep(TrainerResources.openLearner(config.learner(), latest, store));
        producer = keep(TrainerResources.producer(config, false));
        final KafkaProducer<byte[], byte[]> large = keep(TrainerResources.producer(config, true));
        deadLetters = new DeadLetterSink(producer, topics.deadLetters(), new DeadLetters("trainer"));
        final BatchScheduler scheduler = new BatchScheduler(
                learner.config().batchSize(), learner.config().seed());
        // A live store older than the checkpoint (fewer rows) cannot replay the checkpoint's permutation.
        latest.filter(c -> c.meta().batchEpochSize() <= store.size())
                .ifPresent(c -> scheduler.restore(new BatchScheduler.State(
                        c.meta().batchEpoch(), c.meta().batchCursor(), c.meta().batchEpochSize())));
        final FeatureStoreImageSource source = new FeatureStoreImageSource(store);
        training = keep(new EpochLoop(
                learner,
                scheduler,
                source,
                store.size(),
                latest.map(c -> c.meta().epoch()).orElse(0L),
                config.epochs(),
                config.train(),
                0));
        final BankRefresh bankRefresh =
                new BankRefresh(learner, source, learner.config().bankRefreshEpochs());
        ingest = new IngestThreads(new LatestWeights(EncoderSpec.fromMap(learner.encoderConfig())), clock);
        checkpoints = new CheckpointListener(
                new TrainerCheckpointer(
                        directory,
                        new ModelCheckpointPublisher(
                                large, topics.checkpoints(), config.modelName(), clock, Duration.ofSeconds(60)),
                        config.modelName(),
                        config.effectiveSettings()),
                new CheckpointSchedule(
                        config.checkpointIntervalSteps(), config.checkpointIntervalMs(), learner.stepCount(), now),
                learner,
                store,
                training,
                bankRefresh::progress,
                ingest,
                this::takeOver,
                this::afterCheckpoint,
                clock);
        publishing = new PublishingListener(
                new FeaturePublisher(producer, topics.features(), store, clock),
                new PendingFeatures(config.publishIntervalMs(), now),
                store,
                learner::stepCount,
                checkpoints::modelVersion);
        refresh = new RefreshListener(bankRefresh, learner, store, publishing, this::endEpoch, clock);
        latest.map(c -> c.meta().refresh()).ifPresent(refresh::resume);
        progress = new ProgressListener(
                new ProgressMeter(config.progressIntervalMs(), learner.config().batchSize(), now),
                listener,
                () -> new ProgressListener.Figures(
                        learner.stepCount(),
                        training.completedEpochs(),
                        store.size(),
                        checkpoints.modelVersion(),
                        ingest.lag(),
                        training.complete()));
        listeners =
                List.of(new BankWriter(store, checkpoints::modelVersion), publishing, checkpoints, refresh, progress);
        listeners.forEach(training::addListener);
    }

    /**
     * Opens everything, announces the current model, seeks to the stored offsets and starts ingest.
     *
     * @param config the settings
     * @param listener the trainer's listener (guarded)
     * @param completion completed when a bounded run's training is complete
     * @return the open loop
     */
    static TrainerLoop open(
            final StreamingTrainerConfig config,
            final TrainerListener listener,
            final CompletableFuture<TrainerStatus> completion) {
        TrainerResources.createDataDir(config);
        final List<AutoCloseable> resources = new ArrayList<>();
        try {
            final TrainerLoop loop = new TrainerLoop(config, listener, completion, resources);
            loop.start();
            return loop;
        } catch (final RuntimeException | Error e) {
            close(resources);
            throw e;
        }
    }

    private void start() {
        checkpoints.start(latest);
        handWeights(clock.getAsLong());
        if (config.republishOnStart()) {
            LOG.debug("Republished {} bank rows at start", publishing.publishAll());
        }
        keep(ingest);
        ingest.start(config, store, learner.inputChannels(), deadLetters, producer, this::keep);
        LOG.info(
                "Trainer started: {} rows, step {}, epoch {}, model v{}, store {}",
                store.size(),
                learner.stepCount(),
                training.completedEpochs(),
                checkpoints.modelVersion(),
                store.path());
        if (training.complete() && !refresh.active()) {
            // with a resumed refresh, completion is announced when it ends, as in an uninterrupted run
            announceComplete();
        }
        progress.snapshot(clock.getAsLong(), false);
    }

    /**
     * Runs one iteration: take over what ingest stored, at most one step (or one slice of a bank refresh), then
     * whatever publication, checkpoint or report is due.
     *
     * @throws InterruptedException when interrupted while waiting for a batch
     */
    void runOnce() throws InterruptedException {
        ingest.check();
        final boolean busy = training.ready() || refresh.active();
        ingest.drain(busy ? 0 : config.pollTimeoutMs(), this::takeOver);
        final boolean wasComplete = training.complete();
        training.inputCaughtUp(ingest.caughtUp());
        if (!wasComplete && training.complete() && !refresh.active()) {
            // the last epoch ended while the input was still arriving; it has caught up since
            completeTraining();
        }
        // decided before the slice: an iteration that ends a paused refresh does not also step, as before
        final boolean mayStep = !refresh.pausesTraining();
        if (refresh.active() && refresh.runSlice() && training.complete()) {
            completeTraining();
        }
        if (mayStep && training.step(busy ? config.loaderWaitMs() : 0) != null) {
            if (training.complete() && !refresh.active()) {
                completeTraining();
            }
            if (clock.getAsLong() - lastWeightsMs >= WEIGHTS_INTERVAL_MS) {
                handWeights(clock.getAsLong());
            }
        }
        final long now = clock.getAsLong();
        listeners.forEach(l -> l.onIteration(now));
    }

    /**
     * Gives the learner and the epoch loop the rows an ingest thread stored (their features were published by it
     * already), and counts and reports the ingest.
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
        publishing.relabelled(result.relabelledRows());
        for (final PollReader.Rejection rejection : result.rejections()) {
            listener.onRejected(rejection.topic(), rejection.reason());
        }
        progress.ingested(result);
        listener.onIngest(result.images(), result.newRows().length, result.labels(), learner.bankSize());
    }

    /** Hands the current weights to the ingest threads (they copy them before their next ingest). */
    private void handWeights(final long now) {
        ingest.handWeights(new LatestWeights.Snapshot(
                learner.stepCount(), checkpoints.modelVersion(), learner.encoderParameters()));
        lastWeightsMs = now;
    }

    private void afterCheckpoint(final CheckpointMeta meta) {
        handWeights(clock.getAsLong());
        listener.onCheckpoint(meta);
    }

    private void endEpoch(final EpochLoop.Epoch epoch) {
        LOG.info(
                "Epoch {} done at step {}, mean loss {}",
                epoch.epoch(),
                epoch.step(),
                String.format("%.4f", epoch.meanLoss()));
        listener.onEpochEnd(epoch.epoch(), epoch.step(), epoch.meanLoss());
    }

    private void completeTraining() {
        checkpoints.take();
        publishing.publish(clock.getAsLong());
        publishing.flush();
        announceComplete();
    }

    private void announceComplete() {
        final TrainerStatus done = progress.snapshot(clock.getAsLong(), true);
        LOG.info(
                "Training complete after {} epochs ({} steps); ingest and publication go on",
                done.epoch(),
                done.step());
        listener.onTrainingComplete(done);
        completion.complete(done);
    }

    /**
     * Takes a final checkpoint if training moved, and publishes what is pending (a clean stop).
     *
     * @return what the trainer did
     * @throws InterruptedException when interrupted while stopping ingest
     */
    TrainingResult finish() throws InterruptedException {
        // Ingest stops first, so that the final checkpoint holds all that was stored.
        ingest.close();
        ingest.drain(0, this::takeOver);
        checkpoints.takeIfMoved();
        publishing.publish(clock.getAsLong());
        publishing.flush();
        deadLetters.flush();
        return new TrainingResult(
                learner.stepCount(), training.completedEpochs(), store.size(), checkpoints.modelVersion());
    }

    /** Makes a wait for ingest results return at once (thread-safe). */
    void wakeup() {
        ingest.wakeup();
    }

    /** @return the feature store (thread-safe: it guards its reads) */
    FeatureStore store() {
        return store;
    }

    /** @return the latest status snapshot (thread-safe) */
    TrainerStatus status() {
        return progress.status();
    }

    /** @return the dead letters sent per reason (thread-safe) */
    Map<String, Long> rejectedByReason() {
        return deadLetters.countsByReason();
    }

    private <T extends AutoCloseable> T keep(final T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() {
        close(resources);
    }

    private static void close(final List<AutoCloseable> resources) {
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
