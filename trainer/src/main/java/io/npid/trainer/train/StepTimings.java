package io.npid.trainer.train;

/**
 * Accumulated wall time per phase of the learner's steps (forward, loss, backward, optimiser, bank update), for
 * benchmarks: CPU ops run synchronously, so wall time between phases is the time of the phase.
 */
public final class StepTimings {
    /** The phases in step order. */
    public enum Phase {
        /** Batch to tensor copy. */
        INPUT,
        /** The encoder forward pass. */
        FORWARD,
        /** Similarities and the loss. */
        LOSS,
        /** Back-propagation. */
        BACKWARD,
        /** SGD update and gradient zeroing. */
        OPTIMIZER,
        /** Bank-row update and copy-out. */
        BANK_UPDATE
    }

    private final long[] nanos = new long[Phase.values().length];
    private long steps;

    void add(final Phase phase, final long elapsedNanos) {
        nanos[phase.ordinal()] += elapsedNanos;
    }

    void countStep() {
        steps++;
    }

    /**
     * Returns the mean milliseconds per step of a phase.
     *
     * @param phase the phase
     * @return mean ms, 0 before any step
     */
    public double meanMillis(final Phase phase) {
        return steps == 0 ? 0 : nanos[phase.ordinal()] / 1e6 / steps;
    }

    /** @return steps recorded */
    public long steps() {
        return steps;
    }

    /** Clears the figures (e.g. after warm-up). */
    public void reset() {
        java.util.Arrays.fill(nanos, 0);
        steps = 0;
    }
}
