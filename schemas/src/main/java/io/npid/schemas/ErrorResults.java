package io.npid.schemas;

import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.event.ResultStatus;
import java.util.Objects;

/**
 * Builds the ERROR result that answers a query a process cannot serve, so that its client is answered rather than
 * left waiting: the one place where the embedder (a query it cannot embed) and the indexer (a query vector it
 * cannot search) write such a result, with the error spelled {@code "reason: detail"}.
 *
 * <p>The reason must be a code of {@link DeadLetterReason} or {@link ResultReason}, so that a client can act on
 * the code as an operator acts on a dead letter's.
 */
public final class ErrorResults {

    private ErrorResults() {}

    /**
     * An ERROR result for a query known by its id; the caller sets what else it knows (request id, reply key,
     * model version, timestamps) and builds it.
     *
     * @param queryId the query's id, not null
     * @param reason a code of {@link DeadLetterReason} or {@link ResultReason}
     * @param detail one sentence saying what was wrong
     * @return a builder with query id, status ERROR and error set
     * @throws IllegalArgumentException if the reason is in neither registry
     */
    public static ClassificationResult.Builder of(final String queryId, final String reason, final String detail) {
        Objects.requireNonNull(queryId, "queryId");
        if (!ResultReason.isKnown(reason)) {
            throw new IllegalArgumentException(
                    "Unknown result reason '" + reason + "': add it to DeadLetterReason or ResultReason");
        }
        return ClassificationResult.newBuilder()
                .setQueryId(queryId)
                .setStatus(ResultStatus.ERROR)
                .setError(reason + ": " + detail);
    }

    /**
     * An ERROR result for a query vector, carrying its request id, reply key, model version and timestamps.
     *
     * @param query the query vector that cannot be answered
     * @param reason a code of {@link DeadLetterReason} or {@link ResultReason}
     * @param detail one sentence saying what was wrong
     * @param answeredMs when the answer is written, epoch milliseconds
     * @return the result
     * @throws IllegalArgumentException if the reason is in neither registry
     */
    public static ClassificationResult of(
            final QueryVector query, final String reason, final String detail, final long answeredMs) {
        return of(query.getQueryId(), reason, detail)
                .setRequestId(query.getRequestId())
                .setReplyKey(query.getReplyKey())
                .setModelVersion(query.getModelVersion())
                .setQueryTimestampMs(query.getQueryTimestampMs())
                .setEmbeddedTimestampMs(query.getEmbeddedTimestampMs())
                .setAnsweredTimestampMs(answeredMs)
                .build();
    }
}
