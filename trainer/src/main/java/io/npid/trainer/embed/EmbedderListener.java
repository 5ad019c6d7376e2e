package io.npid.trainer.embed;

/**
 * Receives what the embedder does, for reports, benchmarks and tests.
 *
 * <p>Called on the embedder's threads; implementations must be quick and thread-safe. Every method has an empty
 * default; an exception thrown by a listener is logged and ignored.
 */
public interface EmbedderListener {
    /**
     * Called when a model version was loaded and is about to serve (on the checkpoint thread).
     *
     * @param version the model version
     * @param step the trainer step of its parameters
     */
    default void onModelLoaded(long version, long step) {}

    /**
     * Called after the answers of one poll were acknowledged and its offsets committed.
     *
     * @param vectors queries embedded and sent to the indexer
     * @param errors queries answered with an ERROR result
     * @param embedNanos time spent in the encoder for this poll
     */
    default void onAnswered(int vectors, int errors, long embedNanos) {}

    /**
     * Called for every query or checkpoint record sent to dead-letters.
     *
     * @param topic the record's topic
     * @param reason the reason code
     */
    default void onRejected(String topic, String reason) {}

    /**
     * Called once when the query thread stops because of an error.
     *
     * @param error what stopped it
     */
    default void onFailure(Throwable error) {}
}
