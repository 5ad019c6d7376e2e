package io.npid.deploy.client;

import io.npid.schemas.DeadLetterReason;

/** Why a client did not send an image: each skipped file is named with one of these and counted under it. */
public enum SkipReason {
    /** Not a PNG or JPEG file (by name or by content). */
    NOT_AN_IMAGE("not-an-image", "not an image"),
    /** Larger than {@code npid.image.max.bytes}: the trainer and embedder would dead-letter it under this code. */
    TOO_LARGE(DeadLetterReason.TOO_LARGE.code(), "too large"),
    /** The file or folder could not be read. */
    UNREADABLE("unreadable", "unreadable"),
    /** Kafka refused the record (e.g. a topic whose max.message.bytes is smaller than npid needs). */
    REFUSED("refused-by-kafka", "refused by Kafka");

    private final String code;
    private final String words;

    SkipReason(final String code, final String words) {
        this.code = code;
        this.words = words;
    }

    /** @return a stable kebab-case code, e.g. {@code too-large} (JSON output) */
    public String code() {
        return code;
    }

    /** @return the reason in words, e.g. {@code too large} */
    public String words() {
        return words;
    }
}
