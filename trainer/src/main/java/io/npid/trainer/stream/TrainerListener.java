package io.npid.trainer.stream;

import io.npid.trainer.checkpoint.CheckpointMeta;

/**
 * Receives what the streaming trainer does, for the training curve, reports and tests.
 *
 * <p>Every method is called on the training thread, so an implementation must be quick and must not call back
 * into the trainer; every method has an empty default. An exception thrown by a listener is logged and
 * ignored: a broken report must not stop training.
 */
public interface TrainerListener {
    /**
     * Called after each optimisation step.
     *
     * @param step the step just taken (1 for the first step of a fresh model)
     * @param epoch the epoch the step belongs to (0 for the first)
     * @param loss the batch's mean loss
     * @param rows the bank size N when the step ran
     */
    default void onStep(long step, long epoch, float loss, int rows) {}

    /**
     * Called when an epoch over the stored images completes, after its bank refresh when one is due (the refreshed
     * rows are then handed to the features producer).
     *
     * @param epoch the number of completed epochs (1 after the first)
     * @param step the step that completed it
     * @param meanLoss the mean loss over the epoch's steps since the trainer (re)started
     */
    default void onEpochEnd(long epoch, long step, double meanLoss) {}

    /**
     * Called after images and labels were ingested in one store write.
     *
     * @param images accepted images in the batch (re-sent ids included)
     * @param newRows how many of them created a new bank row
     * @param labels labels stored (from images and the labels topic)
     * @param rows the bank size N afterwards
     */
    default void onIngest(int images, int newRows, int labels, int rows) {}

    /**
     * Called for every record sent to dead-letters.
     *
     * @param topic the record's topic
     * @param reason the reason code
     */
    default void onRejected(String topic, String reason) {}

    /**
     * Called after a checkpoint was written and published.
     *
     * @param meta the checkpoint's metadata
     */
    default void onCheckpoint(CheckpointMeta meta) {}

    /**
     * Called at the progress interval.
     *
     * @param progress the current figures
     */
    default void onProgress(TrainerStatus progress) {}

    /**
     * Called once when the configured epochs are done; ingest and publication go on.
     *
     * @param status the figures at that moment
     */
    default void onTrainingComplete(TrainerStatus status) {}

    /**
     * Called once when the training thread stops because of an error.
     *
     * @param error what stopped it
     */
    default void onFailure(Throwable error) {}
}
