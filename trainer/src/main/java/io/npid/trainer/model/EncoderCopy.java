package io.npid.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.npid.trainer.data.Augmenter;
import io.npid.trainer.data.DecodedImage;
import java.io.IOException;
import java.util.List;

/**
 * A frozen copy of an encoder (its spec and parameter bytes) that embeds images in eval mode without touching the
 * network it was copied from: a thread that embeds while another trains owns one, and the embedder's
 * checkpoint encoder wraps one.
 *
 * <p>Not thread-safe (DJL managers are not): one thread uses a copy. Close it to free the native memory.
 */
public final class EncoderCopy implements AutoCloseable {
    private final EncoderSpec spec;
    private final NDManager manager;
    private final Block block;
    private final ParameterStore store;
    private final Augmenter preprocessor;

    /**
     * Builds a copy.
     *
     * @param spec the encoder's architecture and input
     * @param parameters DJL parameter bytes of that architecture (NpidLearner.encoderParameters())
     * @throws IOException when the bytes do not fit the spec
     */
    public EncoderCopy(final EncoderSpec spec, final byte[] parameters) throws IOException {
        this(spec, parameters, Device.cpu());
    }

    /**
     * Builds a copy on a device.
     *
     * @param spec the encoder's architecture and input
     * @param parameters DJL parameter bytes of that architecture
     * @param device where to run
     * @throws IOException when the bytes do not fit the spec
     */
    public EncoderCopy(final EncoderSpec spec, final byte[] parameters, final Device device) throws IOException {
        this.spec = spec;
        this.manager = NDManager.newBaseManager(device);
        try {
            this.block = Backbones.create(spec.backbone(), spec.lowDim());
            block.initialize(
                    manager, DataType.FLOAT32, new Shape(1, spec.channels(), spec.imageSize(), spec.imageSize()));
            EncoderForward.loadParameters(block, manager, parameters);
        } catch (final IOException | RuntimeException e) {
            manager.close();
            throw e instanceof IOException io
                    ? io
                    : new IOException("Cannot build encoder " + spec + ": " + e.getMessage(), e);
        }
        this.store = new ParameterStore(manager, false);
        this.preprocessor = new Augmenter(spec.input());
    }

    /**
     * Embeds images (resized to the input size and converted to the input channels, no augmentation).
     *
     * @param images the images
     * @param maxBatch the most images per forward pass
     * @return images.size() * lowDim floats, unit rows
     */
    public float[] embed(final List<DecodedImage> images, final int maxBatch) {
        return EncoderForward.embed(block, store, manager, preprocessor, images, spec.lowDim(), maxBatch);
    }

    @Override
    public void close() {
        manager.close();
    }
}
