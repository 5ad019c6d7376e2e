package io.npid.schemas;

import io.npid.schemas.serde.SchemaDecodeException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every reason a process (trainer, embedder, indexer) writes into a dead letter: its wire code and what it means.
 *
 * <p>The single registry of reason codes, so that one reason has one spelling in every process and the operator's
 * table in docs/operating.md can be checked against it. {@link DeadLetters} refuses a reason that is not here.
 * The codes are a wire format: consumers of {@code dead-letters} filter and count by them, so they never change.
 */
public enum DeadLetterReason {
    /** A record without a key. */
    NULL_KEY("null-key", "the record has no key; ids are the keys of keyed topics"),
    /** A null value on a topic that does not support deletes. */
    TOMBSTONE(
            "tombstone",
            "the record has a null value (a tombstone); deleting images, labels or queries is not supported"),
    /** A null value on the query-vectors topic. */
    NULL_VALUE("null-value", "a query-vectors record has no value"),
    /** The key differs from the id inside the value. */
    KEY_MISMATCH("key-mismatch", "the key differs from the id inside the value"),
    /** An empty id. */
    EMPTY_ID("empty-id", "the image id or query id inside the value is empty"),
    /** A k the process cannot answer. */
    INVALID_K("invalid-k", "the query asks for fewer than 1 neighbours, or more than npid.knn.k.max"),
    /** The encoder failed on an image. */
    EMBED_FAILED("embed-failed", "the model could not embed the image (an engine error, not the producer's)"),
    /** A checkpoint the embedder cannot load. */
    UNLOADABLE_CHECKPOINT("unloadable-checkpoint", "the checkpoint's parameters or config do not build an encoder"),
    /** Encoded image bytes above the limit. */
    TOO_LARGE("too-large", "the encoded image is larger than the configured maximum"),
    /** Bytes that are no readable PNG/JPEG. */
    UNDECODABLE_IMAGE("undecodable-image", "the bytes are not a readable PNG or JPEG"),
    /** Width or height out of range. */
    BAD_DIMENSIONS("bad-dimensions", "width or height is zero, negative or above the configured maximum"),
    /** A RAW image whose byte count does not fit its shape. */
    RAW_SIZE_MISMATCH("raw-size-mismatch", "a RAW image's byte count differs from width * height * channels"),
    /** A channel count the trainer does not take. */
    BAD_CHANNELS("bad-channels", "the channel count is not 1 or 3 (or not one the limits allow)"),
    /** A RAW image without its shape. */
    MISSING_FIELDS("missing-fields", "a RAW image lacks width, height or channels"),
    /** A class name that cannot be stored or shown. */
    BAD_CLASS_NAME("bad-class-name", "a class name that is blank, holds a control character or is too long"),
    /** A label below 0. */
    NEGATIVE_LABEL("negative-label", "an int label below 0"),
    /** A feature or query vector of the wrong length. */
    WRONG_DIMENSION("wrong-dimension", "the vector's byte count is not 4 * npid.low.dim"),
    /** A vector with NaN or infinity. */
    NAN_VECTOR("nan-vector", "a vector value is NaN or infinite"),
    /** An all-zero vector. */
    ZERO_VECTOR("zero-vector", "every vector value is zero, so the vector has no direction"),
    /** A zero-length value. */
    EMPTY_PAYLOAD(SchemaDecodeException.Reason.EMPTY_PAYLOAD.code(), "a zero-length value"),
    /** No single-object header. */
    CORRUPT_HEADER(
            SchemaDecodeException.Reason.CORRUPT_HEADER.code(),
            "fewer than ten bytes, or no Avro single-object marker C3 01"),
    /** A writer schema nobody registered. */
    UNKNOWN_SCHEMA(
            SchemaDecodeException.Reason.UNKNOWN_SCHEMA.code(),
            "the writer schema is neither the reader's, a known older one, nor registered in the schemas topic"),
    /** A body cut short. */
    TRUNCATED_BODY(SchemaDecodeException.Reason.TRUNCATED_BODY.code(), "the Avro body ended before the record did"),
    /** A body that is no valid encoding. */
    CORRUPT_BODY(
            SchemaDecodeException.Reason.CORRUPT_BODY.code(),
            "the Avro body is not a valid encoding of the writer schema, or has bytes left over");

    private static final Map<String, DeadLetterReason> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(DeadLetterReason::code, Function.identity()));

    private final String code;
    private final String meaning;

    DeadLetterReason(final String code, final String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /**
     * The stable kebab-case code written as the dead letter's {@code reason}.
     *
     * @return the code, e.g. {@code null-key}
     */
    public String code() {
        return code;
    }

    /**
     * One line saying what the reason means, for operators.
     *
     * @return the meaning
     */
    public String meaning() {
        return meaning;
    }

    /**
     * The reason with a code.
     *
     * @param code a reason code, may be null
     * @return the reason, or empty if no reason has that code
     */
    public static Optional<DeadLetterReason> ofCode(final String code) {
        return Optional.ofNullable(code == null ? null : BY_CODE.get(code));
    }
}
