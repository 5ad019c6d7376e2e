package io.npid.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.SplitMix64;
import io.npid.trainer.loss.BankUpdate;
import io.npid.trainer.model.NoGradScope;
import io.npid.trainer.model.PtEngine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The optimisation half of {@link NpidLearner}: one training step (forward, objective, backward, our momentum SGD,
 * the bank's momentum update) and the state that a resumed run needs (step, epoch, random state, the objective's Z
 * and the optimiser's velocities). Used on the learner's thread only.
 */
final class StepRunner {
    private final TrainerConfig config;
    private final int channels;
    private final int imageSize;
    private final NDManager root;
    private final Block block;
    private final ParameterStore parameterStore;
    private final MemoryBank bank;
    private final MomentumSgd optimizer;
    private final InstanceObjective objective;
    private final LearningRateSchedule schedule;
    private final SplitMix64 rng;
    private final StepTimings timings = new StepTimings();
    private long step;
    private long epoch;

    StepRunner(
            final TrainerConfig config,
            final int channels,
            final int imageSize,
            final NDManager root,
            final Block block,
            final ParameterStore parameterStore,
            final MemoryBank bank) {
        this.config = config;
        this.channels = channels;
        this.imageSize = imageSize;
        this.root = root;
        this.block = block;
        this.parameterStore = parameterStore;
        this.bank = bank;
        this.optimizer =
                new MomentumSgd(trainable(block), root, (float) config.sgdMomentum(), (float) config.weightDecay());
        this.rng = new SplitMix64(SplitMix64.derive(config.seed(), 0x4E4345L));
        final InstanceObjective base = config.isNce()
                ? new NceObjective(config, rng)
                : new SoftmaxFallbackObjective(
                        new SoftmaxObjective((float) config.temperature()),
                        new NceObjective(config, rng),
                        config.softmaxMaxRows());
        this.objective =
                config.proximalLambda() > 0 ? new ProximalObjective(base, (float) config.proximalLambda()) : base;
        this.schedule = new LearningRateSchedule(config, channels);
    }

    private static List<Parameter> trainable(final Block block) {
        final List<Parameter> out = new ArrayList<>();
        block.getParameters().forEach(pair -> {
            if (pair.getValue().requiresGradient()) {
                out.add(pair.getValue());
            }
        });
        return out;
    }

    /** See {@link NpidLearner#step}. */
    StepResult step(final AugmentedBatch batch) {
        final int[] rows = batch.rows();
        if (rows.length < 2) {
            throw new IllegalArgumentException("A step needs at least 2 images (batch norm), got " + rows.length);
        }
        final long[] targetRows = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= bank.size()) {
                throw new IllegalStateException("Row " + rows[i] + " is not in the bank of " + bank.size()
                        + " rows; append its bank row before training on it");
            }
            targetRows[i] = rows[i];
        }
        final float lr = (float) schedule.rate(step, batch.epochProgress());
        final int per = channels * imageSize * imageSize;
        final float[] pixels = batch.pixels();
        for (int i = 0; i < rows.length * per; i++) {
            // checked before the forward pass: training-mode batch norm folds every input into its running stats
            if (!Float.isFinite(pixels[i])) {
                throw new IllegalArgumentException("Batch holds a non-finite input value at index " + i);
            }
        }
        long t = System.nanoTime();
        try (NDManager scratch = root.newSubManager()) {
            final NDArray x = scratch.create(
                    FloatBuffer.wrap(batch.pixels(), 0, rows.length * per),
                    new Shape(rows.length, channels, imageSize, imageSize));
            final NDArray targets = scratch.create(targetRows);
            t = lap(StepTimings.Phase.INPUT, t);
            final NDArray ownRows = bank.rows(scratch, targets);
            final NDArray features;
            final float loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                features = block.forward(parameterStore, new NDList(x), true).singletonOrThrow();
                t = lap(StepTimings.Phase.FORWARD, t);
                final InstanceObjective.Output out = objective.loss(features, bank, targets, rows, ownRows, scratch);
                loss = out.loss().getFloat();
                if (!Float.isFinite(loss)) {
                    // refuse before anything changes: a NaN would spread into every weight and bank row
                    throw new IllegalStateException("Non-finite loss " + loss + " at step " + (step + 1)
                            + "; the model and bank were not updated (check the inputs, or lower npid.lr)");
                }
                t = lap(StepTimings.Phase.LOSS, t);
                if (out.gradient() == null) {
                    collector.backward(out.loss());
                } else {
                    // closed-form dL/df: back-propagate it from f through the encoder only
                    PtEngine.backward(features, out.gradient());
                }
                t = lap(StepTimings.Phase.BACKWARD, t);
            }
            optimizer.step(lr, scratch);
            optimizer.zeroGradients();
            t = lap(StepTimings.Phase.OPTIMIZER, t);
            final NDArray updated;
            try (NoGradScope noGrad = new NoGradScope()) {
                updated = BankUpdate.apply(ownRows, features, (float) config.bankMomentum());
                bank.setRows(targets, updated);
            }
            final float[] newRows = updated.toFloatArray();
            lap(StepTimings.Phase.BANK_UPDATE, t);
            timings.countStep();
            step++;
            epoch = batch.epoch();
            return new StepResult(step, loss, rows.clone(), newRows, objective.z());
        }
    }

    private long lap(final StepTimings.Phase phase, final long since) {
        final long now = System.nanoTime();
        timings.add(phase, now - since);
        return now;
    }

    /** @return wall time per step phase */
    StepTimings timings() {
        return timings;
    }

    /** @return steps taken */
    long stepCount() {
        return step;
    }

    /** @return the epoch of the last batch trained on */
    long epoch() {
        return epoch;
    }

    /** @return NCE's Z, NaN for the softmax or before the first NCE step */
    double z() {
        return objective.z();
    }

    /** Writes what a resumed run needs: step, epoch, random state, the objective's and the optimiser's state. */
    void write(final DataOutputStream out) throws IOException {
        out.writeLong(step);
        out.writeLong(epoch);
        out.writeLong(rng.state());
        objective.write(out);
        optimizer.write(out);
    }

    /** Reads what {@link #write} wrote. */
    void read(final DataInputStream in) throws IOException {
        step = in.readLong();
        epoch = in.readLong();
        rng.setState(in.readLong());
        objective.read(in);
        optimizer.read(in);
    }
}
