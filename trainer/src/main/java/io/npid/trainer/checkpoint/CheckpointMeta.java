package io.npid.trainer.checkpoint;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a trainer checkpoint records besides the learner files and the store snapshot.
 *
 * @param formatVersion layout version of the checkpoint directory, {@link #FORMAT_VERSION} when written now
 * @param modelName the model name (key of the ModelCheckpoint record)
 * @param version the monotonic model version, 1 for the first checkpoint
 * @param step the learner's optimisation step at the checkpoint
 * @param epoch completed epochs over the stored images at the checkpoint
 * @param batchEpoch the batch scheduler's current epoch (-1 before the first batch)
 * @param batchCursor the batch scheduler's position in that epoch's permutation
 * @param batchEpochSize the length of that permutation (rows when the epoch began)
 * @param rows bank rows (distinct image ids) in the store snapshot
 * @param offsets next offsets to consume per "topic-partition", as stored in the snapshot
 * @param timestampMs wall-clock time the checkpoint was taken, epoch milliseconds
 * @param encoderConfig everything an embedder needs to rebuild the encoder (the ModelCheckpoint config map)
 * @param settings the trainer's effective settings when the checkpoint was taken, secrets hidden (provenance: a
 *     result traces back to its configuration); empty in checkpoints written before this field existed
 * @param refresh the bank refresh in progress at the checkpoint, which a restarted trainer resumes; null when none
 *     was (and in checkpoints written before this field existed)
 */
public record CheckpointMeta(
        int formatVersion,
        String modelName,
        long version,
        long step,
        long epoch,
        long batchEpoch,
        int batchCursor,
        int batchEpochSize,
        int rows,
        Map<String, Long> offsets,
        long timestampMs,
        Map<String, String> encoderConfig,
        Map<String, String> settings,
        RefreshProgress refresh) {
    /** The checkpoint layout version this code writes. */
    public static final int FORMAT_VERSION = 1;

    /** Validates and copies the maps into immutable ones. */
    public CheckpointMeta {
        Objects.requireNonNull(modelName, "modelName");
        if (version < 1) {
            throw new IllegalArgumentException("Checkpoint version must be at least 1, got " + version);
        }
        if (step < 0 || epoch < 0 || rows < 0) {
            throw new IllegalArgumentException("Checkpoint step, epoch and rows must be >= 0, got step " + step
                    + ", epoch " + epoch + ", rows " + rows);
        }
        offsets = Map.copyOf(offsets == null ? Map.of() : offsets);
        encoderConfig = Map.copyOf(encoderConfig == null ? Map.of() : encoderConfig);
        // Sorted, so that checkpoint.json lists them in order; absent in older checkpoints.
        settings = Collections.unmodifiableMap(new TreeMap<>(settings == null ? Map.of() : settings));
        if (refresh != null && refresh.rows() > rows) {
            throw new IllegalArgumentException("A refresh of " + refresh.rows()
                    + " rows cannot be in progress in a checkpoint of " + rows + " rows");
        }
    }
}
