package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.npid.trainer.model.NoGradScope;
import io.npid.trainer.model.PtEngine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum and weight decay, exactly torch.optim.SGD's rule, whose state can be saved and restored.
 *
 * <p>d = g + wd * w; buf = mu * buf + d; w = w - lr * buf. DJL's own optimisers keep their state where it cannot be
 * serialised, which a resumable trainer needs. Gradients are read, used and zeroed here: PyTorch accumulates them
 * and its collector does not clear them, and every {@code getGradient()} returns a new array that must be closed.
 */
final class MomentumSgd {
    private final List<Parameter> parameters;
    private final List<NDArray> velocities = new ArrayList<>();
    private final float momentum;
    private final float weightDecay;

    MomentumSgd(
            final List<Parameter> parameters, final NDManager manager, final float momentum, final float weightDecay) {
        this.parameters = List.copyOf(parameters);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        for (final Parameter p : this.parameters) {
            velocities.add(manager.zeros(p.getArray().getShape()));
        }
    }

    /** Applies one update with learning rate {@code lr}; temporaries go to {@code scratch}. */
    void step(final float lr, final NDManager scratch) {
        try (NoGradScope noGrad = new NoGradScope()) {
            update(lr, scratch);
        }
    }

    private void update(final float lr, final NDManager scratch) {
        for (int i = 0; i < parameters.size(); i++) {
            final NDArray w = parameters.get(i).getArray();
            final NDArray v = velocities.get(i);
            final NDArray g = w.getGradient();
            g.attach(scratch);
            if (weightDecay != 0f) {
                final NDArray decay = w.mul(weightDecay);
                decay.attach(scratch);
                g.addi(decay);
            }
            v.muli(momentum).addi(g);
            final NDArray delta = v.mul(lr);
            delta.attach(scratch);
            w.subi(delta);
        }
    }

    /** Zeroes every parameter's accumulated gradient. */
    void zeroGradients() {
        for (final Parameter p : parameters) {
            PtEngine.zeroGrad(p.getArray());
        }
    }

    void write(final DataOutputStream out) throws IOException {
        SavedTensors.write(out, velocities);
    }

    void read(final DataInputStream in) throws IOException {
        SavedTensors.read(in, velocities, "Optimiser");
    }
}
