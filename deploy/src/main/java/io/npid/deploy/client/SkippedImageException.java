package io.npid.deploy.client;

/** An image a client did not send, with the reason and a sentence naming the file. */
public final class SkippedImageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final SkipReason reason;
    private final String location;
    private final String detail;

    /**
     * Creates the exception.
     *
     * @param reason why
     * @param location the file (or data set record) as the user knows it
     * @param detail what exactly, e.g. {@code 9,437,184 bytes, over the 8,388,608-byte limit}
     */
    public SkippedImageException(final SkipReason reason, final String location, final String detail) {
        super(location + ": " + reason.words() + " (" + detail + ")");
        this.reason = reason;
        this.location = location;
        this.detail = detail;
    }

    /** @return the reason and what exactly, without the location, e.g. {@code too large (9,437,184 bytes, ...)} */
    public String why() {
        return reason.words() + " (" + detail + ")";
    }

    /** @return why it was skipped */
    public SkipReason reason() {
        return reason;
    }

    /** @return the file (or record) skipped */
    public String location() {
        return location;
    }
}
