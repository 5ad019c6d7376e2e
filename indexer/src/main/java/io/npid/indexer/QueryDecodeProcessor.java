package io.npid.indexer;

import static io.npid.schemas.DeadLetterReason.EMPTY_ID;
import static io.npid.schemas.DeadLetterReason.INVALID_K;
import static io.npid.schemas.DeadLetterReason.NULL_VALUE;

import io.npid.indexer.internals.VectorCheck;
import io.npid.schemas.DeadLetters;
import io.npid.schemas.ErrorResults;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.SchemaDecodeException;
import io.npid.schemas.serde.VectorCodec;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes and checks the query-vectors topic once, before a query is multicast to every shard: the vector is
 * normalised, the effective k filled in, and a vector without a requestId (an embedder from before request ids)
 * gets one derived from its record's topic, partition and offset, so that it is a request of its own. A query that decodes but cannot be answered (bad vector, k above the
 * maximum) is rejected with a dead letter and an ERROR result; an undecodable one with a dead letter only.
 */
final class QueryDecodeProcessor extends DecodingProcessor<QueryVector> {

    private static final EventSerde<QueryVector> SERDE = EventSerde.of(QueryVector.class);

    private final IndexerConfig config;

    QueryDecodeProcessor(final IndexerConfig config, final DeadLetters deadLetters) {
        super(deadLetters);
        this.config = config;
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        if (record.value() == null) {
            reject(record, NULL_VALUE.code(), "A query-vectors record has no value", null);
            return;
        }
        final QueryVector query;
        try {
            query = SERDE.decode(record.value());
        } catch (final SchemaDecodeException e) {
            reject(record, e.getReason().code(), e.getMessage(), null);
            return;
        }
        final String id = query.getQueryId();
        if (id == null || id.isEmpty()) {
            reject(record, EMPTY_ID.code(), "A query vector has an empty query id", null);
            return;
        }
        if (query.getRequestId() == null || query.getRequestId().isEmpty()) {
            query.setRequestId(recordIdentity());
        }
        final int k = query.getK() <= 0 ? config.k() : query.getK();
        if (k > config.maxK()) {
            final String detail = "Query '" + id + "' asks for k=" + k + "; at most " + config.maxK() + " ("
                    + IndexerConfig.K_MAX_CONFIG + ")";
            reject(record, INVALID_K.code(), detail, error(query, INVALID_K.code(), detail));
            return;
        }
        final VectorCheck vector = VectorCheck.of(query.getVector(), config.dimension(), "query " + id);
        if (!vector.ok()) {
            DimensionNotice.observe("Query", query.getVector(), config.dimension());
            reject(record, vector.reason(), vector.detail(), error(query, vector.reason(), vector.detail()));
            return;
        }
        final QueryVector checked = QueryVector.newBuilder(query)
                .setVector(VectorCodec.encode(vector.vector()))
                .setK(k)
                .build();
        accept(record, id, checked);
    }

    private ClassificationResult error(final QueryVector query, final String reason, final String detail) {
        return ErrorResults.of(query, reason, detail, nowMs());
    }
}
