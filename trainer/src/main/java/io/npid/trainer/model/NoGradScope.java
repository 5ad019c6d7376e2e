package io.npid.trainer.model;

/**
 * Turns PyTorch's autograd recording off for the current thread until closed, then restores the previous mode.
 *
 * <p>PyTorch's grad mode is per thread and on by default for every thread except the one that loaded the engine,
 * so an eval forward pass on an embedder or trainer thread would otherwise build an autograd graph it never uses,
 * and an in-place update of a parameter would be refused.
 */
public final class NoGradScope implements AutoCloseable {
    private final boolean previous;

    /** Switches recording off. */
    public NoGradScope() {
        this.previous = PtEngine.isGradMode();
        if (previous) {
            PtEngine.setGradMode(false);
        }
    }

    @Override
    public void close() {
        if (previous) {
            PtEngine.setGradMode(true);
        }
    }
}
