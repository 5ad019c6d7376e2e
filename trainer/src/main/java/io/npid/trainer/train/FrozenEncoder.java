package io.npid.trainer.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.npid.trainer.data.Augmenter;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.model.Backbones;
import io.npid.trainer.model.EncoderForward;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A snapshot of the learner's encoder (weights and batch-norm statistics) on its own sub-manager, for a bank refresh
 * spread over training steps: every slice embeds with the model of the refresh's start. Used on the learner's
 * thread only; {@link #close} frees its arrays.
 */
final class FrozenEncoder implements AutoCloseable {
    /** Images per forward pass, as the learner's own embedding. */
    static final int BATCH = 256;

    private final NDManager manager;
    private final Block block;
    private final ParameterStore store;
    private final Augmenter plain;
    private final int lowDim;

    /**
     * Copies an encoder.
     *
     * @param config the backbone and dimension
     * @param channels input channels
     * @param imageSize input side
     * @param root the learner's manager (the snapshot lives on a sub-manager of it)
     * @param parameters the encoder's parameters, in DJL's format
     * @param plain the learner's plain (no augmentation) input pipeline
     */
    FrozenEncoder(
            final TrainerConfig config,
            final int channels,
            final int imageSize,
            final NDManager root,
            final byte[] parameters,
            final Augmenter plain) {
        this.plain = plain;
        this.lowDim = config.lowDim();
        manager = root.newSubManager();
        try {
            block = Backbones.create(config.backbone(), config.lowDim());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, imageSize, imageSize));
            EncoderForward.loadParameters(block, manager, parameters);
            store = new ParameterStore(manager, false);
        } catch (final IOException | RuntimeException e) {
            manager.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Embeds images with the snapshot, in eval mode, {@value #BATCH} per forward pass.
     *
     * @param images the images
     * @return images.size() * lowDim floats, unit rows
     */
    float[] embed(final List<DecodedImage> images) {
        return EncoderForward.embed(block, store, manager, plain, images, lowDim, BATCH);
    }

    @Override
    public void close() {
        manager.close();
    }
}
