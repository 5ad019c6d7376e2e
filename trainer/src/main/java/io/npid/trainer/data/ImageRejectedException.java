package io.npid.trainer.data;

import io.npid.schemas.DeadLetterReason;

/**
 * Thrown when an image cannot be accepted; carries a stable reason code for dead-letters.
 *
 * <p>Reason codes: {@link #TOO_LARGE}, {@link #UNDECODABLE}, {@link #BAD_DIMENSIONS}, {@link #RAW_SIZE_MISMATCH},
 * {@link #BAD_CHANNELS}, {@link #MISSING_FIELDS}.
 */
public final class ImageRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The encoded bytes exceed the configured maximum. */
    public static final String TOO_LARGE = DeadLetterReason.TOO_LARGE.code();
    /** The bytes are not a readable PNG/JPEG. */
    public static final String UNDECODABLE = DeadLetterReason.UNDECODABLE_IMAGE.code();
    /** Width or height is zero, negative or above the configured maximum. */
    public static final String BAD_DIMENSIONS = DeadLetterReason.BAD_DIMENSIONS.code();
    /** A RAW image's byte count differs from width * height * channels. */
    public static final String RAW_SIZE_MISMATCH = DeadLetterReason.RAW_SIZE_MISMATCH.code();
    /** The channel count is not 1 or 3 (or not one the limits allow). */
    public static final String BAD_CHANNELS = DeadLetterReason.BAD_CHANNELS.code();
    /** A RAW image lacks width, height or channels. */
    public static final String MISSING_FIELDS = DeadLetterReason.MISSING_FIELDS.code();

    private final String reason;

    /**
     * Creates the exception.
     *
     * @param reason one of the reason codes above
     * @param detail a human sentence with the offending values
     */
    public ImageRejectedException(final String reason, final String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    /**
     * Returns the stable reason code.
     *
     * @return the code, e.g. {@code too-large}
     */
    public String reason() {
        return reason;
    }

    /**
     * Returns the detail sentence without the code.
     *
     * @return the detail
     */
    public String detail() {
        return getMessage().substring(reason.length() + 2);
    }
}
