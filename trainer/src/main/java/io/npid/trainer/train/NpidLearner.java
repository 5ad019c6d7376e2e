package io.npid.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.npid.trainer.data.AugmentationSpec;
import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.Augmenter;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.SplitMix64;
import io.npid.trainer.loss.BankUpdate;
import io.npid.trainer.model.Backbones;
import io.npid.trainer.model.EncoderForward;
import io.npid.trainer.model.EncoderSpec;
import io.npid.trainer.model.NoGradScope;
import io.npid.trainer.model.PtEngine;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The instance-discrimination learner: the encoder, our SGD with momentum, the on-device memory bank and the
 * objective, with one method per training step.
 *
 * <p>Threading: the engine's autograd mode is per thread and DJL managers are not thread-safe, so create, step,
 * embed, save and close a learner on one thread. Memory: each step and each embedding batch runs in its own
 * sub-manager that is closed at its end; nothing per step is created on a long-lived manager, gradients are closed
 * and zeroed after use. Rows must be in the bank ({@link #appendBankRows}) before a batch that names them.
 */
public final class NpidLearner implements AutoCloseable {
    private static final int EMBED_BATCH = 256;

    private final TrainerConfig config;
    private final int channels;
    private final int imageSize;
    private final NDManager root;
    private final Block block;
    private final ParameterStore parameterStore;
    private final MomentumSgd optimizer;
    private final MemoryBank bank;
    private final InstanceObjective objective;
    private final LearningRateSchedule schedule;
    private final SplitMix64 rng;
    private final Augmenter plain;
    private final StepTimings timings = new StepTimings();
    private NDManager frozenManager;
    private Block frozen;
    private ParameterStore frozenStore;
    private long step;
    private long epoch;

    private NpidLearner(final TrainerConfig config, final int channels, final int imageSize) {
        this.config = config;
        this.channels = channels;
        this.imageSize = imageSize;
        EngineSetup.configureThreads(config.threads());
        final Device device = EngineSetup.device(config.device());
        this.root = NDManager.newBaseManager(device);
        Engine.getInstance().setRandomSeed((int) config.seed());
        this.block = Backbones.create(config.backbone(), config.lowDim());
        block.initialize(root, DataType.FLOAT32, new Shape(1, channels, imageSize, imageSize));
        this.parameterStore = new ParameterStore(root, false);
        this.optimizer = new MomentumSgd(trainable(block), root, (float) config.sgdMomentum(),
                (float) config.weightDecay());
        this.bank = new MemoryBank(root, config.lowDim(), 1024, config.bankHalfPrecision());
        this.rng = new SplitMix64(SplitMix64.derive(config.seed(), 0x4E4345L));
        this.objective = config.isNce() ? new NceObjective(config, rng)
                : new SoftmaxFallbackObjective(new SoftmaxObjective((float) config.temperature()),
                        new NceObjective(config, rng), config.softmaxMaxRows());
        this.schedule = new LearningRateSchedule(config, channels);
        this.plain = new Augmenter(augmentation());
    }

    /**
     * Creates a learner with a freshly initialised encoder and an empty bank.
     *
     * @param config the settings (backbone, objective, optimiser, seed, device, threads ...)
     * @param inputChannels 1 or 3
     * @param imageSize input side in pixels (28 for Fashion-MNIST, 32 for CIFAR-10)
     * @return the learner
     */
    public static NpidLearner create(final TrainerConfig config, final int inputChannels, final int imageSize) {
        if (inputChannels != 1 && inputChannels != 3) {
            throw new IllegalArgumentException("inputChannels must be 1 or 3, got " + inputChannels);
        }
        return new NpidLearner(config, inputChannels, imageSize);
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

    /** @return the augmentation this learner's images go through (size and channels of its input) */
    public AugmentationSpec augmentation() {
        return config.augmentation(imageSize, channels);
    }

    /**
     * Embeds images with the current encoder in eval mode (no augmentation, batch-norm running statistics).
     *
     * @param images the images (any size and channel count; resized and converted)
     * @return images.size() * lowDim floats, unit rows
     */
    public float[] embed(final List<DecodedImage> images) {
        return embed(images, EMBED_BATCH);
    }

    /**
     * Embeds images as {@link #embed(List)} does, at most {@code maxBatch} per forward pass (the streaming trainer
     * passes {@code npid.trainer.embed.batch.size}).
     *
     * @param images the images
     * @param maxBatch the most images per forward pass, at least 1
     * @return images.size() * lowDim floats, unit rows
     */
    public float[] embed(final List<DecodedImage> images, final int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        return EncoderForward.embed(block, parameterStore, root, plain, images, config.lowDim(), maxBatch);
    }

    /**
     * Appends rows for new images at the end of the bank (their row numbers are N, N+1, ...).
     *
     * @param vectors count * lowDim floats (usually from {@link #embed})
     */
    public void appendBankRows(final float[] vectors) {
        bank.append(vectors);
    }

    /**
     * Replaces the whole bank (after a restart, with the rows from the feature store).
     *
     * @param vectors N * lowDim floats
     */
    public void resetBank(final float[] vectors) {
        bank.reset(vectors);
    }

    /**
     * Re-embeds stored images with the current encoder and writes the results over their bank rows.
     *
     * <p>These are the paper's recomputed features: momentum-averaged rows of augmented views lag the model and
     * answer kNN queries worse (Fashion-MNIST, docs/experiments.md), so a refresh after an epoch, or in slices
     * between steps, makes the bank what a query's embedding is compared with. Costs one forward pass per image.
     *
     * @param firstRow the bank row of {@code images.get(0)}; the images fill consecutive rows from it
     * @param images the stored images of those rows, in row order (each row must be in the bank)
     * @return the new rows, images.size() * lowDim floats (for the feature store and the features topic)
     * @throws IllegalArgumentException when a row is not in the bank
     */
    public float[] refreshBankRows(final int firstRow, final List<DecodedImage> images) {
        checkRows(firstRow, images.size());
        final float[] rows = embed(images);
        bank.replace(firstRow, rows);
        return rows;
    }

    /**
     * Snapshots the encoder (weights and batch-norm statistics) for {@link #refreshBankRowsFrozen}, replacing an
     * earlier snapshot.
     *
     * <p>A refresh of a million rows takes many minutes of forward passes; spread over training steps with the live
     * encoder, each slice would hold features of a different model. With a snapshot the spread refresh writes
     * exactly the rows a paused one would have.
     */
    public void freezeEncoder() {
        releaseFrozenEncoder();
        final NDManager manager = root.newSubManager();
        try {
            final Block copy = Backbones.create(config.backbone(), config.lowDim());
            copy.initialize(manager, DataType.FLOAT32, new Shape(1, channels, imageSize, imageSize));
            EncoderForward.loadParameters(copy, manager, encoderParameters());
            frozen = copy;
            frozenStore = new ParameterStore(manager, false);
            frozenManager = manager;
        } catch (final IOException | RuntimeException e) {
            manager.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Drops the encoder snapshot, if any (its arrays are freed). */
    public void releaseFrozenEncoder() {
        if (frozenManager != null) {
            frozenManager.close();
            frozenManager = null;
            frozen = null;
            frozenStore = null;
        }
    }

    /**
     * Like {@link #refreshBankRows}, but embeds with the snapshot of {@link #freezeEncoder}.
     *
     * @param firstRow the bank row of {@code images.get(0)}
     * @param images the stored images of consecutive rows from firstRow
     * @return the new rows, images.size() * lowDim floats
     * @throws IllegalStateException when no snapshot was taken
     * @throws IllegalArgumentException when a row is not in the bank
     */
    public float[] refreshBankRowsFrozen(final int firstRow, final List<DecodedImage> images) {
        if (frozen == null) {
            throw new IllegalStateException("No frozen encoder: call freezeEncoder() first");
        }
        checkRows(firstRow, images.size());
        final float[] rows = EncoderForward.embed(frozen, frozenStore, frozenManager, plain, images, config.lowDim(),
                EMBED_BATCH);
        bank.replace(firstRow, rows);
        return rows;
    }

    private void checkRows(final int firstRow, final int count) {
        if (firstRow < 0 || firstRow + count > bank.size()) {
            throw new IllegalArgumentException("Rows " + firstRow + ".." + (firstRow + count - 1)
                    + " are not all in the bank of " + bank.size() + " rows");
        }
    }

    /** @return bytes per bank row in memory (halved by npid.bank.dtype=float16) */
    public int bankBytesPerRow() {
        return bank.bytesPerRow();
    }

    /** @return the number of bank rows N */
    public int bankSize() {
        return bank.size();
    }

    /** @return a heap copy of the bank, N * lowDim floats */
    public float[] bankRows() {
        return bank.toFloatArray();
    }

    /**
     * Runs one training step on a batch.
     *
     * @param batch the augmented images with their bank rows
     * @return the loss and the updated bank rows
     * @throws IllegalStateException when a row is not in the bank yet, or the loss is not finite (then neither
     *     the weights nor the bank were updated)
     * @throws IllegalArgumentException when an input value is NaN or infinite (nothing is touched)
     */
    public StepResult step(final AugmentedBatch batch) {
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
            final NDArray x = scratch.create(FloatBuffer.wrap(batch.pixels(), 0, rows.length * per),
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

    /** @return wall time per step phase, accumulated since creation or the last reset */
    public StepTimings timings() {
        return timings;
    }

    /** @return steps taken (restored by {@link #load}) */
    public long stepCount() {
        return step;
    }

    /** @return the epoch of the last batch trained on */
    public long epoch() {
        return epoch;
    }

    /** @return NCE's Z, NaN for the softmax or before the first NCE step */
    public double z() {
        return objective.z();
    }

    /** @return the settings */
    public TrainerConfig config() {
        return config;
    }

    /** @return input channels */
    public int inputChannels() {
        return channels;
    }

    /** @return input side */
    public int imageSize() {
        return imageSize;
    }

    /**
     * Serialises the encoder's parameters (weights and batch-norm statistics) in DJL's parameter format.
     *
     * @return the bytes for ModelCheckpoint.parameters
     */
    public byte[] encoderParameters() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Returns what an Encoder needs to rebuild this network and its input pipeline (ModelCheckpoint.config).
     *
     * @return backbone, dimension, input shape and normalisation, as strings
     */
    public Map<String, String> encoderConfig() {
        return EncoderSpec.of(config.backbone(), config.lowDim(), augmentation()).toMap();
    }

    /**
     * Saves everything needed to resume: parameters, optimiser state, Z, step, epoch and random state.
     *
     * <p>The bank is not included: it lives in the feature store (restore it with {@link #resetBank}).
     *
     * @param dir an existing directory
     * @throws IOException on write failure
     */
    public void save(final Path dir) throws IOException {
        LearnerFiles.write(dir, encoderParameters(), config, channels, imageSize, out -> {
            out.writeLong(step);
            out.writeLong(epoch);
            out.writeLong(rng.state());
            objective.write(out);
            optimizer.write(out);
        });
    }

    /**
     * Loads a learner saved by {@link #save}.
     *
     * @param dir the directory
     * @param config the settings to continue with (backbone and dimension must match the saved ones)
     * @return the learner, with an empty bank
     * @throws IOException when the files are missing, corrupt or do not match the config
     */
    public static NpidLearner load(final Path dir, final TrainerConfig config) throws IOException {
        final LearnerFiles.Header header = LearnerFiles.readHeader(dir, config);
        final NpidLearner learner = create(config, header.channels(), header.imageSize());
        try {
            learner.loadParameters(LearnerFiles.parameters(dir));
            LearnerFiles.readState(dir, in -> {
                learner.step = in.readLong();
                learner.epoch = in.readLong();
                learner.rng.setState(in.readLong());
                learner.objective.read(in);
                learner.optimizer.read(in);
            });
        } catch (final IOException | RuntimeException e) {
            learner.close();
            throw e;
        }
        return learner;
    }

    private void loadParameters(final byte[] parameters) throws IOException {
        EncoderForward.loadParameters(block, root, parameters);
    }

    /** @return arrays alive on this learner's managers (for leak tests) */
    int liveArrayCount() {
        return root.getManagedArrays().size();
    }

    @Override
    public void close() {
        releaseFrozenEncoder();
        bank.close();
        root.close();
    }
}
