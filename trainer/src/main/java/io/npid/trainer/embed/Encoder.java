package io.npid.trainer.embed;

import ai.djl.Device;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.model.EncoderCopy;
import io.npid.trainer.model.EncoderSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only encoder rebuilt from a published checkpoint (backbone, config map, parameter bytes) that embeds
 * images for queries, in eval mode and in batches.
 *
 * <p>{@link #embed} is synchronized: one caller at a time, because DJL managers are not thread-safe. Run several
 * Encoders (or processes) for parallelism. Close it to free the native memory.
 */
public final class Encoder implements AutoCloseable {
    private static final int BATCH = 256;

    private final EncoderSpec spec;
    private final EncoderCopy copy;

    private Encoder(final EncoderSpec spec, final byte[] parameters, final Device device) throws IOException {
        this.spec = spec;
        this.copy = new EncoderCopy(spec, parameters, device);
    }

    /**
     * Rebuilds an encoder from its parts, on the CPU.
     *
     * @param backbone backbone name (must agree with the config's, when the config names one)
     * @param config the map written by NpidLearner.encoderConfig()
     * @param parameters DJL parameter bytes from NpidLearner.encoderParameters()
     * @return the encoder
     * @throws IOException when the config or the bytes do not describe a loadable encoder
     */
    public static Encoder load(final String backbone, final Map<String, String> config, final byte[] parameters)
            throws IOException {
        return load(backbone, config, parameters, Device.cpu());
    }

    /**
     * Rebuilds an encoder from its parts on a given device.
     *
     * @param backbone backbone name
     * @param config the encoder config map
     * @param parameters DJL parameter bytes
     * @param device where to run
     * @return the encoder
     * @throws IOException when the config or the bytes do not describe a loadable encoder
     */
    public static Encoder load(
            final String backbone, final Map<String, String> config, final byte[] parameters, final Device device)
            throws IOException {
        final Map<String, String> merged = new HashMap<>(config);
        merged.putIfAbsent(EncoderSpec.BACKBONE_KEY, backbone);
        if (!backbone.equals(merged.get(EncoderSpec.BACKBONE_KEY))) {
            throw new IOException("Checkpoint backbone " + backbone + " disagrees with its config "
                    + merged.get(EncoderSpec.BACKBONE_KEY));
        }
        final EncoderSpec spec;
        try {
            spec = EncoderSpec.fromMap(merged);
        } catch (final IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new Encoder(spec, parameters, device);
    }

    /**
     * Rebuilds the encoder a ModelCheckpoint carries.
     *
     * @param checkpoint the record from the checkpoints topic
     * @return the encoder
     * @throws IOException when the checkpoint is not loadable
     */
    public static Encoder fromCheckpoint(final ModelCheckpoint checkpoint) throws IOException {
        final ByteBuffer buffer = checkpoint.getParameters().duplicate();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return load(checkpoint.getBackbone(), checkpoint.getConfig(), bytes);
    }

    /**
     * Embeds images (resized to the input size and converted to the input channels, no augmentation).
     *
     * @param images the images
     * @return images.size() * dimension() floats, unit rows
     */
    public synchronized float[] embed(final List<DecodedImage> images) {
        return copy.embed(images, BATCH);
    }

    /** @return the embedding dimension */
    public int dimension() {
        return spec.lowDim();
    }

    /** @return backbone, dimension, input shape and normalisation */
    public EncoderSpec spec() {
        return spec;
    }

    @Override
    public synchronized void close() {
        copy.close();
    }
}
