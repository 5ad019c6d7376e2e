package io.npid.indexer.internals;

import io.npid.schemas.event.QueryVector;
import java.util.Objects;

/**
 * What travels with a query from the query-vectors topic to its result: ids, k, model version and timestamps.
 *
 * @param queryId the query id
 * @param k neighbours that vote
 * @param modelVersion version of the model that embedded the query
 * @param replyKey key of the result record, or null to use the query id
 * @param queryTimestampMs when the client sent the query
 * @param embeddedTimestampMs when the embedder produced the vector
 */
public record QueryMeta(String queryId, int k, long modelVersion, String replyKey, long queryTimestampMs,
        long embeddedTimestampMs) {

    /**
     * Validates the metadata.
     *
     * @throws NullPointerException if the query id is null
     */
    public QueryMeta {
        Objects.requireNonNull(queryId, "queryId");
    }

    /**
     * The metadata of a query vector, with the k that will be used.
     *
     * @param query the query vector
     * @param k the effective k
     * @return the metadata
     */
    public static QueryMeta of(final QueryVector query, final int k) {
        return new QueryMeta(query.getQueryId(), k, query.getModelVersion(), query.getReplyKey(),
                query.getQueryTimestampMs(), query.getEmbeddedTimestampMs());
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
        out.writeString(queryId).writeInt(k).writeLong(modelVersion).writeString(replyKey)
                .writeLong(queryTimestampMs).writeLong(embeddedTimestampMs);
    }

    static QueryMeta readFrom(final CompactReader in) {
        final String queryId = in.readString();
        if (queryId == null) {
            throw new org.apache.kafka.common.errors.SerializationException("Corrupt query metadata: no query id");
        }
        return new QueryMeta(queryId, in.readInt(), in.readLong(), in.readString(), in.readLong(), in.readLong());
    }
}
