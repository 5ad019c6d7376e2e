package io.npid.store;

/**
 * The trainer's position, stored in the feature store so that a restarted trainer resumes where it stopped.
 *
 * @param step number of optimiser steps taken so far
 * @param epoch number of completed passes over the bank rows
 * @param modelVersion version of the last model checkpoint published
 * @param z the NCE normalisation constant Z, or {@code NaN} while it is unknown
 */
public record TrainerProgress(long step, long epoch, long modelVersion, double z) {
    /** Progress of a store that has never been trained: zero steps, epochs and versions, Z unknown. */
    public static final TrainerProgress INITIAL = new TrainerProgress(0, 0, 0, Double.NaN);

    /**
     * Validates the progress.
     *
     * @throws IllegalArgumentException if a counter is negative or Z is infinite or not positive
     */
    public TrainerProgress {
        if (step < 0 || epoch < 0 || modelVersion < 0) {
            throw new IllegalArgumentException("Trainer progress counters must not be negative: step " + step
                    + ", epoch " + epoch + ", model version " + modelVersion);
        }
        if (!Double.isNaN(z) && !(z > 0 && Double.isFinite(z))) {
            throw new IllegalArgumentException(
                    "Trainer progress Z must be NaN (unknown) or finite and positive, got " + z);
        }
    }

    /**
     * Tells whether Z has been estimated.
     *
     * @return true when {@link #z()} is a number
     */
    public boolean hasZ() {
        return !Double.isNaN(z);
    }
}
