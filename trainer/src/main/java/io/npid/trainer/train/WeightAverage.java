package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.npid.trainer.model.Backbones;
import io.npid.trainer.model.NoGradScope;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of the trained encoder's weights and batch-norm statistics (npid.ema.decay): a
 * second encoder that embeds for the bank refresh, the queries and the published checkpoints, while SGD trains the
 * first. Averaging over about 1 / (1 - decay) steps smooths out the step-to-step noise of a constant learning rate.
 *
 * <p>The decay ramps up as TensorFlow's ExponentialMovingAverage with num_updates does, min(decay, (1 + n) / (10 +
 * n)), so the average forgets the untrained start within a few hundred steps. Used on the learner's thread only.
 */
final class WeightAverage {
    private final double decay;
    private final Block averaged;
    private final ParameterStore store;
    private final List<Parameter> trained = new ArrayList<>();
    private final List<NDArray> average = new ArrayList<>();
    private long updates;

    /**
     * Starts the average at the trained encoder's current weights.
     *
     * @param decay the most weight the average keeps per step, in (0, 1)
     * @param config the backbone and dimension
     * @param channels input channels
     * @param imageSize input side
     * @param root the learner's manager
     * @param trained the encoder SGD trains
     */
    WeightAverage(
            final double decay,
            final TrainerConfig config,
            final int channels,
            final int imageSize,
            final NDManager root,
            final Block trained) {
        this.decay = decay;
        averaged = Backbones.create(config.backbone(), config.lowDim());
        averaged.initialize(root, DataType.FLOAT32, new Shape(1, channels, imageSize, imageSize));
        store = new ParameterStore(root, false);
        trained.getParameters().forEach(pair -> this.trained.add(pair.getValue()));
        averaged.getParameters().forEach(pair -> average.add(pair.getValue().getArray()));
        restart();
    }

    /** Moves the average towards the trained weights after a step, in place: a <- d (a - w) + w. */
    void update() {
        updates++;
        final float d = (float) Math.min(decay, (1.0 + updates) / (10.0 + updates));
        try (NoGradScope noGrad = new NoGradScope()) {
            for (int i = 0; i < trained.size(); i++) {
                final NDArray w = trained.get(i).getArray();
                average.get(i).subi(w).muli(d).addi(w);
            }
        }
    }

    /** Starts the average at the trained weights (at creation, and for a resumed learner saved without one). */
    void restart() {
        updates = 0;
        for (int i = 0; i < trained.size(); i++) {
            trained.get(i).getArray().copyTo(average.get(i));
        }
    }

    /** @return the averaged encoder */
    Block block() {
        return averaged;
    }

    /** @return the parameter store to run the averaged encoder with */
    ParameterStore store() {
        return store;
    }

    /** Writes the update count and the averaged arrays. */
    void write(final DataOutputStream out) throws IOException {
        out.writeLong(updates);
        SavedTensors.write(out, average);
    }

    /** Reads what {@link #write} wrote. */
    void read(final DataInputStream in) throws IOException {
        updates = in.readLong();
        SavedTensors.read(in, average, "Weight average");
    }
}
