package io.npid.trainer.stream;

import io.npid.store.FeatureStore;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.checkpoint.CheckpointMeta;
import io.npid.trainer.checkpoint.CheckpointSchedule;
import io.npid.trainer.checkpoint.RefreshProgress;
import io.npid.trainer.checkpoint.TrainerCheckpointer;
import io.npid.trainer.train.EpochLoop;
import io.npid.trainer.train.NpidLearner;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpointing on the training thread: a checkpoint when the schedule says so ({@code npid.checkpoint.interval.*}),
 * at the end of a bounded run and at a clean stop; it owns the model version, which every checkpoint raises by one.
 *
 * <p>No ingest commits while a checkpoint is written: it holds the ingest commit lock and first takes over what
 * ingest stored, so the snapshot's rows and offsets are those of the metadata.
 */
final class CheckpointListener implements LoopListener {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointListener.class);

    private final TrainerCheckpointer checkpointer;
    private final CheckpointSchedule schedule;
    private final NpidLearner learner;
    private final FeatureStore store;
    private final IngestThreads ingest;
    private final Consumer<Ingestor.Result> takeOver;
    private final Consumer<CheckpointMeta> taken;
    private final LongSupplier clock;
    private final EpochLoop training;
    private final Supplier<RefreshProgress> refresh;
    private long modelVersion;

    /**
     * @param checkpointer writes and publishes checkpoints
     * @param schedule when they are due
     * @param learner the learner
     * @param store the feature store
     * @param training the epoch loop (its epochs and position go into every checkpoint)
     * @param refresh the bank refresh in progress, or null (goes into every checkpoint)
     * @param ingest the ingest threads (their lock, their results)
     * @param takeOver takes over an ingest result (before the snapshot)
     * @param taken told of every checkpoint written
     * @param clock the clock
     */
    CheckpointListener(
            final TrainerCheckpointer checkpointer,
            final CheckpointSchedule schedule,
            final NpidLearner learner,
            final FeatureStore store,
            final EpochLoop training,
            final Supplier<RefreshProgress> refresh,
            final IngestThreads ingest,
            final Consumer<Ingestor.Result> takeOver,
            final Consumer<CheckpointMeta> taken,
            final LongSupplier clock) {
        this.checkpointer = checkpointer;
        this.schedule = schedule;
        this.learner = learner;
        this.store = store;
        this.training = training;
        this.refresh = refresh;
        this.ingest = ingest;
        this.takeOver = takeOver;
        this.taken = taken;
        this.clock = clock;
    }

    /**
     * Announces the current model: re-publishes the latest checkpoint (a crash may have come between the pointer
     * flip and the publication), or takes version 1 at step 0 so that embedders can answer queries before the
     * first trained checkpoint.
     *
     * @param latest the checkpoint the trainer started from
     */
    void start(final Optional<CheckpointDirectory.Checkpoint> latest) {
        if (latest.isPresent()) {
            modelVersion = latest.get().meta().version();
            checkpointer.publish(modelVersion, learner);
        } else {
            take();
        }
    }

    @Override
    public void onIteration(final long nowMs) {
        if (schedule.due(learner.stepCount(), nowMs)) {
            take();
        }
    }

    /** Takes a checkpoint if the learner stepped since the last one (a clean stop). */
    void takeIfMoved() {
        if (learner.stepCount() > schedule.lastStep()) {
            take();
        }
    }

    /** Writes a checkpoint now, makes it current and publishes the encoder. */
    void take() {
        final long now = clock.getAsLong();
        final CheckpointMeta meta;
        synchronized (ingest.commitLock()) {
            try {
                ingest.drain(0, takeOver);
            } catch (final InterruptedException e) {
                throw new IllegalStateException("unreachable: a drain without waiting", e);
            }
            meta = checkpointer.write(
                    modelVersion + 1,
                    learner,
                    store,
                    training.completedEpochs(),
                    training.position(),
                    refresh.get(),
                    now);
        }
        modelVersion = meta.version();
        schedule.taken(meta.step(), now);
        LOG.info(
                "Checkpoint v{} at step {} ({} rows) in {} ms",
                meta.version(),
                meta.step(),
                meta.rows(),
                clock.getAsLong() - now);
        taken.accept(meta);
    }

    /** @return the model version of the last checkpoint taken or announced */
    long modelVersion() {
        return modelVersion;
    }
}
