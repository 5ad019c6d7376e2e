package io.npid.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.npid.trainer.data.AugmentationSpec;
import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.Augmenter;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.model.Backbones;
import io.npid.trainer.model.EncoderForward;
import io.npid.trainer.model.EncoderSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The instance-discrimination learner: the encoder, our SGD with momentum, the on-device memory bank and the
 * objective, with one method per training step ({@link StepRunner}), bank refreshes ({@link BankRecompute}) and
 * its files ({@link LearnerFiles}).
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
    private final MemoryBank bank;
    private final StepRunner runner;
    private final Augmenter plain;
    private final BankRecompute recompute;
    private final WeightAverage average;
    private final Block embedding;
    private final ParameterStore embeddingStore;

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
        this.bank = new MemoryBank(root, config.lowDim(), 1024, config.bankHalfPrecision());
        this.runner = new StepRunner(config, channels, imageSize, root, block, parameterStore, bank);
        this.plain = new Augmenter(augmentation());
        this.recompute = new BankRecompute(bank);
        this.average = config.emaDecay() > 0
                ? new WeightAverage(config.emaDecay(), config, channels, imageSize, root, block)
                : null;
        this.embedding = average == null ? block : average.block();
        this.embeddingStore = average == null ? parameterStore : average.store();
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

    /** @return the augmentation this learner's images go through (size and channels of its input) */
    public AugmentationSpec augmentation() {
        return config.augmentation(imageSize, channels);
    }

    /**
     * Embeds images with the current encoder in eval mode (no augmentation, batch-norm running statistics): the
     * trained one, or its moving average when npid.ema.decay is on.
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
        return EncoderForward.embed(embedding, embeddingStore, root, plain, images, config.lowDim(), maxBatch);
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
        return recompute.replace(firstRow, images, this::embed);
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
        recompute.freeze(() -> new FrozenEncoder(config, channels, imageSize, root, encoderParameters(), plain));
    }

    /** Drops the encoder snapshot, if any (its arrays are freed). */
    public void releaseFrozenEncoder() {
        recompute.close();
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
        return recompute.replaceFrozen(firstRow, images);
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
        final StepResult result = runner.step(batch);
        if (average != null) {
            average.update();
        }
        return result;
    }

    /** @return wall time per step phase, accumulated since creation or the last reset */
    public StepTimings timings() {
        return runner.timings();
    }

    /** @return steps taken (restored by {@link #load}) */
    public long stepCount() {
        return runner.stepCount();
    }

    /** @return the epoch of the last batch trained on */
    public long epoch() {
        return runner.epoch();
    }

    /** @return NCE's Z, NaN for the softmax or before the first NCE step */
    public double z() {
        return runner.z();
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
     * Serialises the parameters (weights and batch-norm statistics) of the encoder that embeds, in DJL's parameter
     * format: the trained one, or its moving average when npid.ema.decay is on.
     *
     * @return the bytes for ModelCheckpoint.parameters
     */
    public byte[] encoderParameters() {
        return EncoderForward.saveParameters(embedding);
    }

    /**
     * Returns what an Encoder needs to rebuild this network and its input pipeline (ModelCheckpoint.config).
     *
     * @return backbone, dimension, input shape and normalisation, as strings
     */
    public Map<String, String> encoderConfig() {
        return EncoderSpec.of(config.backbone(), config.lowDim(), augmentation())
                .toMap();
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
        LearnerFiles.write(dir, EncoderForward.saveParameters(block), config, channels, imageSize, this::writeState);
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
            EncoderForward.loadParameters(learner.block, learner.root, LearnerFiles.parameters(dir));
            LearnerFiles.readState(dir, learner::readState);
        } catch (final IOException | RuntimeException e) {
            learner.close();
            throw e;
        }
        return learner;
    }

    private void writeState(final DataOutputStream out) throws IOException {
        runner.write(out);
        out.writeBoolean(average != null);
        if (average != null) {
            average.write(out);
        }
    }

    private void readState(final DataInputStream in) throws IOException {
        runner.read(in);
        boolean saved;
        try {
            saved = in.readBoolean();
        } catch (final EOFException e) {
            saved = false; // saved before the weight average existed
        }
        if (average != null) {
            if (saved) {
                average.read(in);
            } else {
                average.restart();
            }
        }
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
