package io.npid.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.npid.trainer.data.Augmenter;
import io.npid.trainer.data.DecodedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The eval-mode forward pass shared by the learner and the query-time Encoder, and parameter loading.
 */
public final class EncoderForward {

    private EncoderForward() {}

    /**
     * Embeds images in eval mode, in batches, each batch in its own sub-manager.
     *
     * @param block the initialised encoder
     * @param store its parameter store
     * @param manager a long-lived manager to make per-batch sub-managers from
     * @param preprocessor resizes and normalises (no augmentation)
     * @param images the images
     * @param dim embedding dimension
     * @param batchSize images per forward pass, at least 1
     * @return images.size() * dim floats
     * @throws IllegalArgumentException when batchSize is below 1
     */
    public static float[] embed(
            final Block block,
            final ParameterStore store,
            final NDManager manager,
            final Augmenter preprocessor,
            final List<DecodedImage> images,
            final int dim,
            final int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + batchSize);
        }
        final int per = preprocessor.spec().floatsPerImage();
        final int side = preprocessor.spec().size();
        final int channels = preprocessor.spec().channels();
        final float[] out = new float[images.size() * dim];
        final float[] buffer = new float[Math.max(2, Math.min(batchSize, images.size())) * per];
        for (int start = 0; start < images.size(); start += batchSize) {
            final int count = Math.min(batchSize, images.size() - start);
            for (int i = 0; i < count; i++) {
                preprocessor.preprocess(images.get(start + i), buffer, i * per);
            }
            // A lone image goes through as a batch of two (itself twice): PyTorch's CPU convolution falls back
            // from oneDNN for batches of one, and that path prints an NNPACK warning on every call.
            final int rows = Math.max(2, count);
            if (count == 1) {
                System.arraycopy(buffer, 0, buffer, per, per);
            }
            try (NDManager scratch = manager.newSubManager();
                    NoGradScope noGrad = new NoGradScope()) {
                final NDArray x =
                        scratch.create(FloatBuffer.wrap(buffer, 0, rows * per), new Shape(rows, channels, side, side));
                final NDArray f = block.forward(store, new NDList(x), false).singletonOrThrow();
                System.arraycopy(f.toFloatArray(), 0, out, start * dim, count * dim);
            }
        }
        return out;
    }

    /**
     * Serialises a block's parameters (weights and batch-norm statistics) in DJL's parameter format.
     *
     * @param block the block
     * @return the bytes, as {@link #loadParameters} reads them
     */
    public static byte[] saveParameters(final Block block) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Loads DJL-format parameter bytes into an initialised block and marks trainable ones as such again.
     *
     * @param block the block, initialised with the same architecture
     * @param manager the manager that owns the parameters
     * @param parameters bytes from Block.saveParameters
     * @throws IOException when the bytes do not fit the block
     */
    public static void loadParameters(final Block block, final NDManager manager, final byte[] parameters)
            throws IOException {
        final Map<String, Shape> expected = new HashMap<>();
        block.getParameters()
                .forEach(pair ->
                        expected.put(pair.getKey(), pair.getValue().getArray().getShape()));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            block.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new IOException("trailing bytes after the parameters");
            }
        } catch (final ai.djl.MalformedModelException | RuntimeException e) {
            throw new IOException("Parameters do not fit this encoder: " + e.getMessage(), e);
        }
        for (final var pair : block.getParameters()) {
            final Parameter p = pair.getValue();
            final Shape shape = p.getArray().getShape();
            // DJL loads whatever shape the bytes hold; a different architecture must not pass silently.
            if (!shape.equals(expected.get(pair.getKey()))) {
                throw new IOException("Parameter " + pair.getKey() + " has shape " + shape + ", the encoder needs "
                        + expected.get(pair.getKey()));
            }
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }
}
