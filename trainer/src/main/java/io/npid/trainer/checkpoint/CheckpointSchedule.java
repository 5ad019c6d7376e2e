package io.npid.trainer.checkpoint;

/**
 * Decides when the trainer takes its next checkpoint: every M steps or every T milliseconds, whichever comes first.
 *
 * <p>The time trigger fires only when training made progress since the last checkpoint, so an idle trainer does
 * not write identical checkpoints. A zero interval disables that trigger.
 */
public final class CheckpointSchedule {
    private final long everySteps;
    private final long everyMs;
    private long lastStep;
    private long lastMs;

    /**
     * Creates a schedule counting from a given step and time.
     *
     * @param everySteps steps between checkpoints, 0 to disable the step trigger
     * @param everyMs milliseconds between checkpoints, 0 to disable the time trigger
     * @param startStep the step of the latest checkpoint (or the start step)
     * @param startMs when counting starts, epoch milliseconds
     */
    public CheckpointSchedule(final long everySteps, final long everyMs, final long startStep, final long startMs) {
        if (everySteps < 0 || everyMs < 0) {
            throw new IllegalArgumentException(
                    "Checkpoint intervals must be >= 0, got " + everySteps + " steps and " + everyMs + " ms");
        }
        this.everySteps = everySteps;
        this.everyMs = everyMs;
        this.lastStep = startStep;
        this.lastMs = startMs;
    }

    /**
     * Tells whether a checkpoint is due.
     *
     * @param step the learner's current step
     * @param nowMs the current time, epoch milliseconds
     * @return true when a trigger has fired and the step moved since the last checkpoint
     */
    public boolean due(final long step, final long nowMs) {
        if (step <= lastStep) {
            return false;
        }
        return (everySteps > 0 && step - lastStep >= everySteps) || (everyMs > 0 && nowMs - lastMs >= everyMs);
    }

    /**
     * Records that a checkpoint was taken.
     *
     * @param step the step it captured
     * @param nowMs when it was taken, epoch milliseconds
     */
    public void taken(final long step, final long nowMs) {
        lastStep = step;
        lastMs = nowMs;
    }

    /**
     * Returns the step of the last checkpoint.
     *
     * @return the step given to the constructor or the last {@link #taken} call
     */
    public long lastStep() {
        return lastStep;
    }
}
