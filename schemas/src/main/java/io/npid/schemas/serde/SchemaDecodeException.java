package io.npid.schemas.serde;

import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload that could not be decoded as the expected event type, with a typed reason.
 *
 * <p>It extends Kafka's {@link SerializationException} so that consumers and Kafka Streams treat it as a
 * deserialization failure; the trainer, embedder and indexer catch it and turn it into a dead letter whose
 * reason is {@link Reason#code()}.
 */
public final class SchemaDecodeException extends SerializationException {

    private static final long serialVersionUID = 1L;

    /**
     * Why a payload could not be decoded.
     *
     * <p>A code is the constant's name in kebab case, the rule of every dead-letter reason; {@code
     * io.npid.schemas.DeadLetterReason} lists these by referring to them, so that this package needs nothing from
     * its parent (no package cycle) and no code is spelled twice.
     */
    public enum Reason {
        /** A zero-length value (a null value is a tombstone and decodes to null instead). */
        EMPTY_PAYLOAD,
        /** Fewer than ten bytes, or the first two bytes are not the single-object marker C3 01. */
        CORRUPT_HEADER,
        /**
         * The schema fingerprint is not the reader's schema, nor a known older version of it, nor a compatible
         * schema of the same type registered in the schemas topic.
         */
        UNKNOWN_SCHEMA,
        /** The body ended before the record did. */
        TRUNCATED_BODY,
        /** The body is not a valid encoding of the writer schema, or has bytes left after the record. */
        CORRUPT_BODY;

        /**
         * The stable kebab-case code used as a dead letter's reason.
         *
         * @return the code, e.g. {@code unknown-schema}
         */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final String expectedType;

    /**
     * Creates the exception.
     *
     * @param expectedType full name of the event type the reader expected
     * @param reason why decoding failed
     * @param detail what exactly was wrong, one sentence
     * @param cause the underlying Avro or I/O error, may be null
     */
    public SchemaDecodeException(
            final String expectedType, final Reason reason, final String detail, final Throwable cause) {
        super("Cannot decode " + expectedType + " (" + reason.code() + "): " + detail, cause);
        this.expectedType = Objects.requireNonNull(expectedType, "expectedType");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Why the payload could not be decoded.
     *
     * @return the reason
     */
    public Reason getReason() {
        return reason;
    }

    /**
     * The full name of the event type the reader expected, e.g. {@code io.npid.schemas.event.ImageEvent}.
     *
     * @return the expected type's name
     */
    public String getExpectedType() {
        return expectedType;
    }
}
