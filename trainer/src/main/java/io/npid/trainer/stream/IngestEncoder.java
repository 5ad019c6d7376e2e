package io.npid.trainer.stream;

import io.npid.trainer.model.EncoderCopy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ingest thread's own encoder: a frozen copy of the latest weights the training thread handed over, rebuilt
 * when newer ones arrive. Used by one ingest thread only.
 */
final class IngestEncoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestEncoder.class);

    private final LatestWeights weights;
    private final int maxBatch;
    private EncoderCopy copy;
    private LatestWeights.Snapshot current;

    /**
     * @param weights where the training thread hands its weights over
     * @param maxBatch the most images per forward pass ({@code npid.trainer.embed.batch.size})
     */
    IngestEncoder(final LatestWeights weights, final int maxBatch) {
        this.weights = weights;
        this.maxBatch = maxBatch;
    }

    /**
     * Embeds new images with the weights of the last {@link #refresh()}, in batches; an image the engine fails on
     * is passed to {@code failed} instead of stopping ingest (a failing batch is retried one image at a time).
     *
     * @param fresh the images, by id
     * @param failed gets each image that could not be embedded, with the error
     * @return the vectors by id, of every image but the failed ones
     */
    Map<String, float[]> embed(
            final List<PollReader.Candidate> fresh, final BiConsumer<PollReader.Candidate, RuntimeException> failed) {
        final Map<String, float[]> vectors = new LinkedHashMap<>();
        for (int start = 0; start < fresh.size(); start += maxBatch) {
            final List<PollReader.Candidate> chunk = fresh.subList(start, Math.min(fresh.size(), start + maxBatch));
            try {
                split(
                        chunk,
                        copy.embed(
                                chunk.stream().map(PollReader.Candidate::pixels).toList(), maxBatch),
                        vectors);
            } catch (final RuntimeException chunkError) {
                LOG.warn(
                        "Embedding {} new images failed ({}); retrying one by one",
                        chunk.size(),
                        chunkError.toString());
                for (final PollReader.Candidate candidate : chunk) {
                    try {
                        split(List.of(candidate), copy.embed(List.of(candidate.pixels()), 1), vectors);
                    } catch (final RuntimeException e) {
                        failed.accept(candidate, e);
                    }
                }
            }
        }
        return vectors;
    }

    private static void split(
            final List<PollReader.Candidate> chunk, final float[] embedded, final Map<String, float[]> into) {
        final int dim = embedded.length / chunk.size();
        for (int i = 0; i < chunk.size(); i++) {
            final float[] vector = new float[dim];
            System.arraycopy(embedded, i * dim, vector, 0, dim);
            into.put(chunk.get(i).id(), vector);
        }
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
