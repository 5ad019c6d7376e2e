package io.npid.trainer.train;

/**
 * Receives what an {@link EpochLoop} does, in the shape of DJL's {@code TrainingListener}: the loop owns the order
 * of things, and checkpointing, feature publication, bank refreshes, progress and evaluation hang on it as
 * listeners. Called on the training thread, in the order the listeners were added; every method has an empty
 * default.
 */
public interface TrainingListener {
    /**
     * Called after each optimisation step.
     *
     * @param step what the step did
     */
    default void onStep(EpochLoop.Step step) {}

    /**
     * Called when an epoch completes, after the {@link #onStep} of the step that completed it.
     *
     * @param epoch the epoch's figures
     */
    default void onEpoch(EpochLoop.Epoch epoch) {}
}
