package io.npid.trainer.embed;

/**
 * A snapshot of the embedder's figures since it started.
 *
 * @param modelVersion the model version serving queries, -1 before the first
 * @param queriesEmbedded queries embedded and sent to the indexer
 * @param errorsAnswered queries answered with an ERROR result (bad input, no model, engine failure)
 * @param deadLetters records sent to dead-letters (queries and checkpoints)
 * @param running whether the query thread is running
 */
public record EmbedderStatus(
        long modelVersion, long queriesEmbedded, long errorsAnswered, long deadLetters, boolean running) {}
