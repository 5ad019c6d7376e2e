package io.npid.indexer.internals;

import io.npid.schemas.event.QueryVector;
import java.util.Objects;

/**
 * What travels with a query from the query-vectors topic to its result: ids, k, model version and timestamps.
 *
 * <p>The request id, not the query id, is the identity of a request inside the indexer (held queries, partials,
 * merge state): two queries sent under one query id are two requests, answered apart.
 *
 * @param queryId the query id, as the client named the query
 * @param requestId the request's identity: the query's requestId, or one derived from its record
 * @param k neighbours that vote
 * @param modelVersion version of the model that embedded the query
 * @param replyKey key of the result record, or null to use the query id
 * @param queryTimestampMs when the client sent the query
 * @param embeddedTimestampMs when the embedder produced the vector
 */
public record QueryMeta(
        String queryId,
        String requestId,
        int k,
        long modelVersion,
        String replyKey,
        long queryTimestampMs,
        long embeddedTimestampMs) {

    /**
     * Validates the metadata.
     *
     * @throws NullPointerException if the query id is null
     */
    public QueryMeta {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(requestId, "requestId");
    }

    /**
     * The metadata of a query vector, with the k that will be used.
     *
     * @param query the query vector, its requestId set (the query decoder derives one when absent)
     * @param k the effective k
     * @return the metadata
     * @throws NullPointerException if the vector has no requestId
     */
    public static QueryMeta of(final QueryVector query, final int k) {
        return new QueryMeta(
                query.getQueryId(),
                query.getRequestId(),
                k,
                query.getModelVersion(),
                query.getReplyKey(),
                query.getQueryTimestampMs(),
                query.getEmbeddedTimestampMs());
    }

    /**
     * The key of the result record.
     *
     * @return the reply key, or the query id when there is none
     */
    public String resultKey() {
        return replyKey != null ? replyKey : queryId;
    }

    void writeTo(final CompactWriter out) {
        out.writeString(queryId)
                .writeString(requestId)
                .writeInt(k)
                .writeLong(modelVersion)
                .writeString(replyKey)
                .writeLong(queryTimestampMs)
                .writeLong(embeddedTimestampMs);
    }

    /**
     * Reads metadata written by {@link #writeTo}, or by a version before request ids, whose request is then named
     * by its query id (as those versions keyed it).
     */
    static QueryMeta readFrom(final CompactReader in, final boolean hasRequestId) {
        final String queryId = in.readString();
        if (queryId == null) {
            throw new org.apache.kafka.common.errors.SerializationException("Corrupt query metadata: no query id");
        }
        final String requestId = hasRequestId ? in.readString() : queryId;
        if (requestId == null) {
            throw new org.apache.kafka.common.errors.SerializationException("Corrupt query metadata: no request id");
        }
        return new QueryMeta(
                queryId, requestId, in.readInt(), in.readLong(), in.readString(), in.readLong(), in.readLong());
    }
}
