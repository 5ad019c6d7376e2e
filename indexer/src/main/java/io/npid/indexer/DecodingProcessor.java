package io.npid.indexer;

import io.npid.indexer.internals.Routed;
import io.npid.schemas.DeadLetters;
import io.npid.schemas.event.ClassificationResult;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Base of the processors that decode an input topic's raw bytes inside the topology, so that a bad record becomes
 * a dead letter with a reason instead of a deserialization error that stops the stream thread.
 *
 * <p>Each record is forwarded once, keyed by its string id, as {@link Routed.Accepted} or {@link Routed.Rejected}.
 *
 * @param <T> the decoded value type
 */
abstract class DecodingProcessor<T> implements Processor<byte[], byte[], String, Routed<T>> {

    /** The process name in dead letters. */
    static final String PROCESS = "indexer";

    private final DeadLetters deadLetters;
    private ProcessorContext<String, Routed<T>> context;

    DecodingProcessor(final DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(final ProcessorContext<String, Routed<T>> processorContext) {
        this.context = processorContext;
    }

    /** Forwards a decoded value. */
    final void accept(final Record<byte[], byte[]> record, final String key, final T value) {
        context.forward(record.withKey(key).withValue(new Routed.Accepted<>(value)));
    }

    /** Forwards a rejection: the dead letter of this record and an optional ERROR result. */
    final void reject(
            final Record<byte[], byte[]> record,
            final String reason,
            final String detail,
            final ClassificationResult errorResult) {
        final RecordMetadata source = context.recordMetadata().orElse(null);
        final var deadLetter = deadLetters.of(
                source == null ? "unknown" : source.topic(),
                source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(),
                record.key(),
                record.value(),
                reason,
                detail);
        final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        context.forward(record.withKey(key).withValue(new Routed.Rejected<>(deadLetter, errorResult)));
    }

    /**
     * The identity of the record being processed, {@code topic-partition-offset}: unique per record, so it names a
     * request that came without a request id.
     */
    final String recordIdentity() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "-" + m.offset())
                .orElseThrow(() -> new IllegalStateException("no record metadata outside of process()"));
    }

    /** The wall-clock time of the stream thread (the test driver's mock clock in tests). */
    final long nowMs() {
        return context.currentSystemTimeMs();
    }

    /** The record key as a string, or null. */
    static String keyOf(final Record<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }
}
