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
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iteration at a time of the streaming trainer: poll, ingest, step, publish, checkpoint, report.
 *
 * <p>Everything here runs on the training thread, which owns the learner, the store's writes and the Kafka clients
 * (except {@link #wakeup()}). See {@link TrainerResources} for the restart rule and {@link Ingestor} for the
 * exactly-once ingest.
 */
final class TrainerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerLoop.class);
    /**
     * How long the input must stay at the end of its topics to count as caught up: a producer that pauses between
     * sends must not make a bounded run stop after epochs over a fraction of its images.
     */
    static final long QUIET_MS = 2_000;

    private final StreamingTrainerConfig config;
    private final TrainerListener listener;
    private final CompletableFuture<TrainerStatus> completion;
    private final LongSupplier clock = System::currentTimeMillis;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final BitSet relabelled = new BitSet();

    private volatile FeatureStore store;
    private NpidLearner learner;
    private KafkaConsumer<byte[], byte[]> consumer;
    private DeadLetterSink deadLetters;
    private FeaturePublisher features;
    private PendingFeatures pending;
    private TrainerCheckpointer checkpointer;
    private CheckpointSchedule schedule;
    private Ingestor ingestor;
    private TrainStage training;
    private BankRefresh refresh;
    private Runnable epochEndAfterRefresh;
    private ProgressMeter meter;
    private long modelVersion;
    private long lag = -1;
    private long lastRecordMs;
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
        consumer = keep(TrainerResources.consumer(config));
        deadLetters = new DeadLetterSink(producer, topics.deadLetters(), new DeadLetters("trainer"));
        features = new FeaturePublisher(producer, topics.features(), store, clock);
        pending = new PendingFeatures(config.publishIntervalMs(), now);
        checkpointer = new TrainerCheckpointer(directory, new ModelCheckpointPublisher(large, topics.checkpoints(),
                config.modelName(), clock, Duration.ofSeconds(60)), config.modelName());
        final BatchScheduler scheduler = new BatchScheduler(learner.config().batchSize(), learner.config().seed());
        // A live store older than the checkpoint (fewer rows) cannot replay the checkpoint's permutation.
        latest.filter(c -> c.meta().batchEpochSize() <= store.size()).ifPresent(c -> scheduler.restore(
                new BatchScheduler.State(c.meta().batchEpoch(), c.meta().batchCursor(), c.meta().batchEpochSize())));
        final FeatureStoreImageSource source = new FeatureStoreImageSource(store);
        training = keep(new TrainStage(learner, scheduler, source, store.size(),
                latest.map(c -> c.meta().epoch()).orElse(0L), config.epochs(), config.train()));
        refresh = new BankRefresh(learner, source, learner.config().bankRefreshEpochs());
        ingestor = new Ingestor(store, learner, new InputRecordValidator(config.imageLimits()), deadLetters,
                listener, topics.images().name(), config.embedBatchSize(), config.storedImageSide(), clock);
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
        assignAndSeek(topics);
        lastRecordMs = now;
        if (config.republishOnStart()) {
            final int published = features.publishAll(learner.stepCount(), modelVersion);
            LOG.debug("Republished {} bank rows at start", published);
        }
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
        final boolean busy = training.ready() || refresh.active();
        final ConsumerRecords<byte[], byte[]> records =
                consumer.poll(busy ? Duration.ZERO : Duration.ofMillis(config.pollTimeoutMs()));
        if (!records.isEmpty()) {
            ingest(records);
            lastRecordMs = clock.getAsLong();
        }
        final boolean wasComplete = training.complete();
        training.inputCaughtUp(clock.getAsLong() - lastRecordMs >= QUIET_MS && caughtUp());
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
            }
        }
        final long now = clock.getAsLong();
        if ((pending.size() > 0 || !relabelled.isEmpty()) && pending.intervalPassed(now)) {
            publishPending(now);
        }
        if (schedule.due(learner.stepCount(), now)) {
            checkpoint();
        }
        if (meter.due(now)) {
            report(now);
        }
        status = meter.snapshot(now, learner.stepCount(), training.completedEpochs(), store.size(), modelVersion,
                lag, training.complete());
    }

    private void ingest(final ConsumerRecords<byte[], byte[]> records) {
        final Ingestor.Result result = ingestor.ingest(records);
        if (result.newRows().length > 0) {
            learner.appendBankRows(result.newVectors());
            training.rowsAdded(result.newRows(), store.size());
            pending.offer(result.newRows(), result.newVectors(), store.dimension(), learner.stepCount(),
                    modelVersion);
        }
        for (final int row : result.relabelledRows()) {
            relabelled.set(row);
        }
        meter.ingested(result.images(), result.rejected());
        listener.onIngest(result.images(), result.newRows().length, result.labels(), store.size());
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
            if (refresh.startIfDue(epoch, store.size())) {
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
        final CheckpointMeta meta = checkpointer.write(modelVersion + 1, learner, store, training.completedEpochs(),
                training.position(), now);
        modelVersion = meta.version();
        schedule.taken(meta.step(), now);
        LOG.info("Checkpoint v{} at step {} ({} rows) in {} ms", meta.version(), meta.step(), meta.rows(),
                clock.getAsLong() - now);
        listener.onCheckpoint(meta);
    }

    private void report(final long now) {
        lag = lag();
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

    private void assignAndSeek(final Topics topics) {
        final List<TopicPartition> partitions = TrainerResources.partitions(consumer, topics.images().name(),
                topics.labels().name());
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

    /** Whether every assigned partition is known to have nothing left to read (from the last fetch; no request). */
    private boolean caughtUp() {
        for (final TopicPartition partition : consumer.assignment()) {
            final java.util.OptionalLong partitionLag = consumer.currentLag(partition);
            if (partitionLag.isEmpty() || partitionLag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Records behind the end of the assigned partitions, or -1 when the broker does not answer in time. */
    private long lag() {
        try {
            final Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(2));
            long total = 0;
            for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                total += Math.max(0, end.getValue() - consumer.position(end.getKey(), Duration.ofSeconds(2)));
            }
            return total;
        } catch (final org.apache.kafka.common.errors.TimeoutException e) {
            return -1;
        }
    }

    /** Takes a final checkpoint if training moved, and publishes what is pending (a clean stop). */
    void finish() {
        if (learner == null) {
            return;
        }
        if (learner.stepCount() > schedule.lastStep()) {
            checkpoint();
        }
        publishPending(clock.getAsLong());
        features.flush();
        deadLetters.flush();
    }

    /** Makes a blocked poll return (thread-safe). */
    void wakeup() {
        final KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
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
