package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The paper's proximal regularization (section 3.4) around an objective: each sample's loss gains
 * lambda * ||f - v||^2, with f its feature and v its bank row before the step. The paper adds it because a sample is
 * visited once per epoch, so its row and the network drift apart between visits and the loss oscillates; the term
 * keeps a sample's feature near where it was last time, and vanishes as training converges.
 *
 * <p>The bank row is a constant here (no gradient flows into the bank), so dL/df gains 2 lambda (f - v) / B; it is
 * added to the inner objective's closed-form gradient, or to its loss when the inner one back-propagates by autograd.
 */
final class ProximalObjective implements InstanceObjective {
    private final InstanceObjective inner;
    private final float lambda;

    /**
     * Wraps an objective.
     *
     * @param inner the objective (softmax or NCE)
     * @param lambda the term's weight, > 0
     */
    ProximalObjective(final InstanceObjective inner, final float lambda) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("Proximal lambda must be > 0, got " + lambda);
        }
        this.inner = inner;
        this.lambda = lambda;
    }

    @Override
    public Output loss(
            final NDArray features,
            final MemoryBank bank,
            final NDArray targets,
            final int[] targetRows,
            final NDArray ownRows,
            final NDManager step) {
        final Output out = inner.loss(features, bank, targets, targetRows, ownRows, step);
        if (out.gradient() == null) {
            return new Output(out.loss().add(penalty(features.sub(ownRows))), null);
        }
        final NDArray drift = features.stopGradient().sub(ownRows);
        final float scale = 2f * lambda / features.getShape().get(0);
        return new Output(out.loss().add(penalty(drift)), out.gradient().add(drift.mul(scale)));
    }

    /** lambda times the batch mean of ||drift||^2. */
    private NDArray penalty(final NDArray drift) {
        return drift.square().sum(new int[] {1}).mean().mul(lambda);
    }

    @Override
    public double z() {
        return inner.z();
    }

    @Override
    public void write(final DataOutputStream out) throws IOException {
        inner.write(out);
    }

    @Override
    public void read(final DataInputStream in) throws IOException {
        inner.read(in);
    }
}
