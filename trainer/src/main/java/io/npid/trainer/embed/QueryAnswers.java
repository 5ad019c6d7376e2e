package io.npid.trainer.embed;

import io.npid.schemas.ErrorResults;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.serde.VectorCodec;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Writes the embedder's answers: a QueryVector to {@code query-vectors} for a good query, a ClassificationResult with
 * status ERROR to {@code results} for a query that cannot be embedded (so that the client is answered).
 *
 * <p>Sends are asynchronous; {@link #flush()} waits and throws if one failed, so the embedder commits its offsets
 * only after every answer of a poll is acknowledged (at-least-once). Used by the query thread only.
 */
final class QueryAnswers {
    private final Producer<byte[], byte[]> producer;
    private final TopicSpec<String, QueryVector> vectors;
    private final TopicSpec<String, ClassificationResult> results;
    private final LongSupplier clockMs;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    QueryAnswers(final Producer<byte[], byte[]> producer, final Topics topics, final LongSupplier clockMs) {
        this.producer = producer;
        this.vectors = topics.queryVectors();
        this.results = topics.results();
        this.clockMs = clockMs;
    }

    /** Sends the embedded query to the indexer, keyed by query id. */
    void vector(final QueryValidator.Valid query, final float[] vector, final long modelVersion) {
        final QueryVector record = QueryVector.newBuilder()
                .setQueryId(query.queryId())
                .setRequestId(query.requestId())
                .setVector(VectorCodec.encode(vector))
                .setModelVersion(modelVersion)
                .setK(query.k())
                .setReplyKey(query.replyKey())
                .setQueryTimestampMs(query.queryTimestampMs())
                .setEmbeddedTimestampMs(clockMs.getAsLong())
                .build();
        send(vectors, query.queryId(), record);
    }

    /** Answers a query with an ERROR result, keyed by its reply key (its query id when it has none). */
    void error(
            final String queryId,
            final String replyKey,
            final String requestId,
            final long queryTimestampMs,
            final String reason,
            final String detail,
            final long modelVersion) {
        final long now = clockMs.getAsLong();
        final ClassificationResult result = ErrorResults.of(queryId, reason, detail)
                .setRequestId(requestId)
                .setReplyKey(replyKey)
                .setModelVersion(modelVersion)
                .setQueryTimestampMs(queryTimestampMs)
                .setAnsweredTimestampMs(now)
                .build();
        send(results, replyKey != null ? replyKey : queryId, result);
    }

    /** Waits for every answer sent so far; throws if one failed. */
    void flush() {
        producer.flush();
        final Exception error = failure.getAndSet(null);
        if (error != null) {
            throw new KafkaException("Could not write a query answer: " + error, error);
        }
    }

    private <V> void send(final TopicSpec<String, V> topic, final String key, final V value) {
        final byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        final byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), keyBytes, valueBytes), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
    }
}
