package io.npid.trainer.stream;

import io.npid.trainer.model.EncoderSpec;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The encoder weights the training thread last handed to the ingest threads: each ingest thread embeds new images
 * with its own copy of them, so embedding never waits for a training step nor touches the network being trained.
 * Thread-safe.
 */
final class LatestWeights {
    /**
     * One hand-over.
     *
     * @param step the learner step the weights are from
     * @param modelVersion the model version current at that step (stamped on the features of new images)
     * @param parameters DJL parameter bytes of the encoder (weights and batch-norm statistics)
     */
    record Snapshot(long step, long modelVersion, byte[] parameters) {}

    private final EncoderSpec spec;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();

    LatestWeights(final EncoderSpec spec) {
        this.spec = spec;
    }

    /** Hands over new weights; an ingest thread picks them up before its next embedding. */
    void publish(final Snapshot snapshot) {
        latest.set(snapshot);
    }

    /** @return the latest weights, null before the first hand-over */
    Snapshot latest() {
        return latest.get();
    }

    /** @return the encoder's architecture and input */
    EncoderSpec spec() {
        return spec;
    }
}
