package io.npid.trainer.stream;

import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.model.EncoderCopy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An ingest thread's own encoder: a frozen copy of the latest weights the training thread handed over, rebuilt
 * when newer ones arrive. Used by one ingest thread only.
 */
final class IngestEncoder implements AutoCloseable {
    private final LatestWeights weights;
    private EncoderCopy copy;
    private LatestWeights.Snapshot current;

    IngestEncoder(final LatestWeights weights) {
        this.weights = weights;
    }

    /**
     * Embeds images with the weights of the last {@link #refresh()}.
     *
     * @param images the images
     * @param maxBatch the most images per forward pass ({@code npid.trainer.embed.batch.size})
     * @return images.size() * dim floats, unit rows
     */
    float[] embed(final List<DecodedImage> images, final int maxBatch) {
        return copy.embed(images, maxBatch);
    }

    /** @return the weights {@link #embed} uses */
    LatestWeights.Snapshot current() {
        return current;
    }

    /** Rebuilds the copy when newer weights were handed over (before an ingest, so that all of it uses one). */
    void refresh() {
        final LatestWeights.Snapshot latest = weights.latest();
        if (latest == null) {
            throw new IllegalStateException("No weights were handed over to ingest yet");
        }
        if (latest == current) {
            return;
        }
        final EncoderCopy fresh;
        try {
            fresh = new EncoderCopy(weights.spec(), latest.parameters());
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot copy the encoder of step " + latest.step() + " for ingest", e);
        }
        close();
        copy = fresh;
        current = latest;
    }

    @Override
    public void close() {
        if (copy != null) {
            copy.close();
            copy = null;
        }
    }
}
