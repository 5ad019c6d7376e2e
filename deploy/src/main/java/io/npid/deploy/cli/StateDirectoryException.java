package io.npid.deploy.cli;

/** A state directory the command needs is missing, locked by another process, or of another layout. */
public final class StateDirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message a sentence naming the directory and what is wrong with it
     * @param cause the underlying error, or null
     */
    public StateDirectoryException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
