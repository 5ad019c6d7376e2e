package io.npid.trainer.embed;

import static io.npid.schemas.DeadLetterReason.EMPTY_ID;
import static io.npid.schemas.DeadLetterReason.INVALID_K;
import static io.npid.schemas.DeadLetterReason.NULL_KEY;
import static io.npid.schemas.DeadLetterReason.TOMBSTONE;

import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.SchemaDecodeException;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageDecoder;
import io.npid.trainer.data.ImageLimits;
import io.npid.trainer.data.ImageRejectedException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Checks one raw record from the {@code queries} topic and says whether the embedder can embed it.
 *
 * <p>A rejected query still carries what is needed to answer the client when it can be known: the query id (from
 * the value, else from the key) and the reply key. Everything that can fail on client input happens here, inside
 * a try, so that a bad query is answered and dead-lettered instead of stopping the embedder.
 */
final class QueryValidator {
    /** The value could not be decoded for a reason other than a SchemaDecodeException. */
    static final String CORRUPT_BODY = SchemaDecodeException.Reason.CORRUPT_BODY.code();

    private final Deserializer<QueryEvent> queries =
            EventSerde.of(QueryEvent.class).deserializer();
    private final ImageLimits limits;
    private final int defaultK;

    /** The verdict on one query. */
    sealed interface Verdict permits Valid, Invalid {}

    /**
     * A query to embed.
     *
     * @param queryId the query id
     * @param requestId the query's requestId, or its record's {@code topic-partition-offset} when it has none
     * @param image the decoded image
     * @param k neighbours to vote with
     * @param replyKey the key for the result, or null for the query id
     * @param queryTimestampMs when the client sent it
     */
    record Valid(String queryId, String requestId, DecodedImage image, int k, String replyKey, long queryTimestampMs)
            implements Verdict {}

    /**
     * A query to answer with an error.
     *
     * @param queryId the query id when known, else null (then only a dead letter is written)
     * @param replyKey the reply key when known
     * @param requestId the request id when known
     * @param queryTimestampMs when the client sent it, 0 when unknown
     * @param reason a stable reason code
     * @param detail a human sentence
     */
    record Invalid(
            String queryId, String replyKey, String requestId, long queryTimestampMs, String reason, String detail)
            implements Verdict {}

    QueryValidator(final ImageLimits limits, final int defaultK) {
        this.limits = limits;
        this.defaultK = defaultK;
    }

    Verdict check(final ConsumerRecord<byte[], byte[]> record) {
        final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            return new Invalid(
                    key,
                    null,
                    null,
                    record.timestamp(),
                    TOMBSTONE.code(),
                    "Query record at " + where(record) + " has a null value");
        }
        final QueryEvent query;
        try {
            query = queries.deserialize(record.topic(), record.value());
        } catch (final SchemaDecodeException e) {
            return new Invalid(
                    key, null, null, record.timestamp(), e.getReason().code(), e.getMessage());
        } catch (final RuntimeException e) {
            return new Invalid(key, null, null, record.timestamp(), CORRUPT_BODY, "Cannot decode QueryEvent: " + e);
        }
        final String id = query.getQueryId();
        final String replyKey = query.getReplyKey();
        final long sent = query.getTimestampMs();
        // One identity per send: two queries under one queryId are two requests, answered apart.
        final String requestId =
                query.getRequestId() == null || query.getRequestId().isEmpty()
                        ? record.topic() + "-" + record.partition() + "-" + record.offset()
                        : query.getRequestId();
        if (id == null || id.isEmpty()) {
            return new Invalid(
                    key,
                    replyKey,
                    requestId,
                    sent,
                    EMPTY_ID.code(),
                    "Query at " + where(record) + " has an empty queryId");
        }
        if (key == null) {
            return new Invalid(
                    id,
                    replyKey,
                    requestId,
                    sent,
                    NULL_KEY.code(),
                    "Query '" + id + "' has no key; the key must be the " + "query id");
        }
        final int k = query.getK() == null ? defaultK : query.getK();
        if (k < 1) {
            return new Invalid(
                    id,
                    replyKey,
                    requestId,
                    sent,
                    INVALID_K.code(),
                    "Query '" + id + "' asks for k=" + k + "; k must be at least 1");
        }
        if (query.getImage() == null || query.getImage().getData() == null) {
            return new Invalid(
                    id,
                    replyKey,
                    requestId,
                    sent,
                    ImageRejectedException.MISSING_FIELDS,
                    "Query '" + id + "' has no image data");
        }
        try {
            return new Valid(id, requestId, ImageDecoder.decode(query.getImage(), limits), k, replyKey, sent);
        } catch (final ImageRejectedException e) {
            return new Invalid(id, replyKey, requestId, sent, e.reason(), "Query '" + id + "': " + e.detail());
        }
    }

    private static String where(final ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
