package io.npid.deploy.process;

/**
 * Kafka could not be reached at the configured bootstrap servers, or did not answer within the command's wait; the
 * message says which, in words a user can act on.
 */
public final class KafkaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with the whole message, e.g. from {@link KafkaProbe}.
     *
     * @param message what was found, e.g. {@code cannot reach Kafka at 127.0.0.1:9092 (connection refused)}
     */
    public KafkaUnavailableException(final String message) {
        super(message);
    }

    /**
     * Creates the exception for a wait that ran out.
     *
     * @param bootstrapServers where the command tried to connect
     * @param cause the client's error, or null
     */
    public KafkaUnavailableException(final String bootstrapServers, final Throwable cause) {
        super(
                "Kafka at " + bootstrapServers + " did not answer in time"
                        + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")
                        + "; check --bootstrap-servers and the client security settings",
                cause);
    }
}
