package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.npid.trainer.loss.SoftmaxLoss;
import java.io.DataInputStream;
import java.io.DataOutputStream;

/** The full non-parametric softmax over the whole bank; stateless. */
final class SoftmaxObjective implements InstanceObjective {
    private final SoftmaxLoss loss;

    SoftmaxObjective(final float temperature) {
        this.loss = new SoftmaxLoss(temperature);
    }

    @Override
    public Output loss(
            final NDArray features,
            final MemoryBank bank,
            final NDArray targets,
            final int[] targetRows,
            final NDArray ownRows,
            final NDManager step) {
        final SoftmaxLoss.LossAndGradient out = loss.lossAndGradient(features, bank.view(step), targets, ownRows);
        return new Output(out.loss(), out.gradient());
    }

    @Override
    public double z() {
        return Double.NaN;
    }

    @Override
    public void write(final DataOutputStream out) {
        // no state
    }

    @Override
    public void read(final DataInputStream in) {
        // no state
    }
}
