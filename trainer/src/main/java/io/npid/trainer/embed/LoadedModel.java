package io.npid.trainer.embed;

/**
 * An encoder loaded from one ModelCheckpoint, with the version and step it was published under.
 *
 * @param version the model version
 * @param step the trainer step of its parameters
 * @param encoder the encoder (closed with this record)
 */
record LoadedModel(long version, long step, Encoder encoder) implements AutoCloseable {
    @Override
    public void close() {
        encoder.close();
    }
}
