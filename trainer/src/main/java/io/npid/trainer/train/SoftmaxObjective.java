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
    public NDArray loss(final NDArray features, final MemoryBank bank, final NDArray targets, final int[] targetRows,
            final NDManager step) {
        return loss.loss(features, bank.view(step), targets);
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
