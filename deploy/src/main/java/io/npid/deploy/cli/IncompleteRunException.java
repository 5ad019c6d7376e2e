package io.npid.deploy.cli;

/** A command ran to its end but did not achieve what was asked, for example some queries got no result. */
public final class IncompleteRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message a sentence saying what is missing, with the counts
     */
    public IncompleteRunException(final String message) {
        super(message);
    }
}
