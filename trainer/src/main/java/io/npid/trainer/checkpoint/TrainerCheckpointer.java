package io.npid.trainer.checkpoint;

import io.npid.store.FeatureStore;
import io.npid.store.TrainerProgress;
import io.npid.trainer.data.BatchScheduler;
import io.npid.trainer.train.NpidLearner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Takes trainer checkpoints: the learner's files and a feature-store snapshot, together, in a new version directory
 * made current by an atomic pointer flip, then the encoder published as a ModelCheckpoint.
 *
 * <p>Both halves are written by the training thread between two steps, so the learner's step and the snapshot's
 * rows, bank and offsets describe the same moment. The model version is the checkpoint counter: version 1 is the
 * first checkpoint (taken at start by a fresh trainer so that embedders can answer at once), and every later one
 * adds 1. Used by the training thread only.
 */
public final class TrainerCheckpointer {
    private final CheckpointDirectory directory;
    private final ModelCheckpointPublisher publisher;
    private final String modelName;
    private final Map<String, String> settings;

    /**
     * Creates a checkpointer.
     *
     * @param directory where checkpoints are written
     * @param publisher where encoders are published
     * @param modelName the model name written into the metadata
     * @param settings the effective settings, secrets already hidden, written into every checkpoint's metadata
     */
    public TrainerCheckpointer(
            final CheckpointDirectory directory,
            final ModelCheckpointPublisher publisher,
            final String modelName,
            final Map<String, String> settings) {
        this.directory = directory;
        this.publisher = publisher;
        this.modelName = modelName;
        this.settings = Map.copyOf(settings);
    }

    /**
     * Returns the latest checkpoint on disk.
     *
     * @return the checkpoint {@code LATEST} names, or empty
     */
    public Optional<CheckpointDirectory.Checkpoint> latest() {
        return directory.latest();
    }

    /**
     * Writes a checkpoint of the learner and the store, makes it current and publishes the encoder.
     *
     * @param version the new model version (the previous one plus 1)
     * @param learner the learner, idle (between steps)
     * @param store the live feature store
     * @param completedEpochs epochs completed so far
     * @param position the batch scheduler's position
     * @param refresh the bank refresh in progress, or null
     * @param nowMs the current time, epoch milliseconds
     * @return the metadata of the checkpoint
     * @throws UncheckedIOException when the checkpoint cannot be written; the previous one stays current
     */
    public CheckpointMeta write(
            final long version,
            final NpidLearner learner,
            final FeatureStore store,
            final long completedEpochs,
            final BatchScheduler.State position,
            final RefreshProgress refresh,
            final long nowMs) {
        final Map<String, Long> offsets = new HashMap<>();
        for (final Map.Entry<TopicPartition, Long> entry : store.offsets().entrySet()) {
            offsets.put(entry.getKey().toString(), entry.getValue());
        }
        final CheckpointMeta meta = new CheckpointMeta(
                CheckpointMeta.FORMAT_VERSION,
                modelName,
                version,
                learner.stepCount(),
                completedEpochs,
                position.epoch(),
                position.cursor(),
                position.epochSize(),
                store.size(),
                offsets,
                nowMs,
                learner.encoderConfig(),
                settings,
                refresh);
        try {
            directory.write(meta, (learnerDir, storeDir) -> {
                learner.save(learnerDir);
                store.checkpoint(storeDir);
            });
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint version " + version + " in " + directory.root(), e);
        }
        final double z = learner.z();
        store.saveProgress(new TrainerProgress(
                learner.stepCount(), completedEpochs, version, Double.isFinite(z) && z > 0 ? z : Double.NaN));
        publish(version, learner);
        return meta;
    }

    /**
     * Publishes the learner's encoder under a version (at start, to re-announce the latest checkpoint).
     *
     * @param version the model version
     * @param learner the learner whose encoder to publish
     */
    public void publish(final long version, final NpidLearner learner) {
        publisher.publish(
                version,
                learner.config().backbone(),
                learner.stepCount(),
                learner.encoderConfig(),
                settings,
                learner.encoderParameters());
    }
}
