package io.npid.deploy.cli;

/** Kafka could not be reached at the configured bootstrap servers within the command's wait. */
public final class KafkaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param bootstrapServers where the command tried to connect
     * @param cause the client's error, or null
     */
    public KafkaUnavailableException(final String bootstrapServers, final Throwable cause) {
        super("no answer from " + bootstrapServers + (cause == null || cause.getMessage() == null ? ""
            : " (" + cause.getMessage() + ")"), cause);
    }
}
