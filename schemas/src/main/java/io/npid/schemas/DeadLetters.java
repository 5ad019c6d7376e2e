package io.npid.schemas;

import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.serde.SchemaDecodeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Builds the {@link DeadLetter} record for an input record a process rejects, with the payload cut to a size limit.
 *
 * <p>One instance per process ({@code trainer}, {@code embedder}, {@code indexer}); it is immutable and
 * thread-safe. The dead letter keeps the original key, the source topic, partition and offset, a stable reason
 * code and a human sentence, so the record can be found, understood and replayed.
 */
public final class DeadLetters {

    /** Default payload limit: 64 KiB, enough to inspect a bad image or vector, small for the dead-letter topic. */
    public static final int DEFAULT_PAYLOAD_LIMIT_BYTES = 64 * 1024;
    /** Details longer than this many characters are cut, so that a huge exception message cannot bloat a record. */
    public static final int MAX_DETAIL_CHARS = 4000;

    private final String process;
    private final int payloadLimitBytes;
    private final LongSupplier clockMs;

    /**
     * Creates the builder of one process with the default payload limit and the system clock.
     *
     * @param process which process rejects records, e.g. {@code trainer}
     * @throws IllegalArgumentException if process is blank
     */
    public DeadLetters(final String process) {
        this(process, DEFAULT_PAYLOAD_LIMIT_BYTES, System::currentTimeMillis);
    }

    /**
     * Creates the builder of one process.
     *
     * @param process which process rejects records, e.g. {@code trainer}
     * @param payloadLimitBytes the most payload bytes a dead letter keeps, at least 0
     * @param clockMs the clock of {@code timestampMs}, epoch milliseconds
     * @throws IllegalArgumentException if process is blank or the limit is negative
     */
    public DeadLetters(final String process, final int payloadLimitBytes, final LongSupplier clockMs) {
        if (process == null || process.isBlank()) {
            throw new IllegalArgumentException("A dead letter needs the name of the rejecting process");
        }
        if (payloadLimitBytes < 0) {
            throw new IllegalArgumentException(
                    "Dead-letter payload limit must be at least 0, not " + payloadLimitBytes);
        }
        this.process = process;
        this.payloadLimitBytes = payloadLimitBytes;
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    }

    /**
     * The dead letter of a consumed record.
     *
     * @param record the rejected record, raw bytes
     * @param reason stable kebab-case code, e.g. {@code undecodable-image}
     * @param detail one human sentence saying what was wrong
     * @return the dead letter
     */
    public DeadLetter of(final ConsumerRecord<byte[], byte[]> record, final String reason, final String detail) {
        return of(record.topic(), record.partition(), record.offset(), record.key(), record.value(), reason, detail);
    }

    /**
     * The dead letter of a consumed record that failed to decode.
     *
     * @param record the rejected record, raw bytes
     * @param error the decode error; its reason code becomes the dead letter's reason
     * @return the dead letter
     */
    public DeadLetter of(final ConsumerRecord<byte[], byte[]> record, final SchemaDecodeException error) {
        return of(record, error.getReason().code(), error.getMessage());
    }

    /**
     * The dead letter of a record known by its coordinates, e.g. inside a Kafka Streams processor.
     *
     * @param topic source topic
     * @param partition source partition, -1 if unknown
     * @param offset source offset, -1 if unknown
     * @param key original key bytes, may be null
     * @param value original value bytes, may be null; truncated to the payload limit
     * @param reason stable kebab-case code, e.g. {@code nan-vector}; one of {@link DeadLetterReason}
     * @param detail one human sentence saying what was wrong
     * @return the dead letter
     * @throws IllegalArgumentException if the reason is not a registered {@link DeadLetterReason} code
     */
    public DeadLetter of(
            final String topic,
            final int partition,
            final long offset,
            final byte[] key,
            final byte[] value,
            final String reason,
            final String detail) {
        return DeadLetter.newBuilder()
                .setSourceTopic(Objects.requireNonNull(topic, "topic"))
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key.clone()))
                .setReason(registered(reason))
                .setDetail(truncate(detail == null ? "" : detail))
                .setPayload(value == null ? null : ByteBuffer.wrap(truncate(value, payloadLimitBytes)))
                .setPayloadSize(value == null ? -1 : value.length)
                .setProcess(process)
                .setTimestampMs(clockMs.getAsLong())
                .build();
    }

    /**
     * The process name written into every dead letter.
     *
     * @return the process name
     */
    public String process() {
        return process;
    }

    /**
     * The payload limit in bytes.
     *
     * @return the limit
     */
    public int payloadLimitBytes() {
        return payloadLimitBytes;
    }

    /**
     * UTF-8 bytes of a string key, the form a dead letter stores keys in.
     *
     * @param key a key, may be null
     * @return its bytes, or null
     */
    public static byte[] keyBytes(final String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The first {@code limit} bytes of a payload (a copy).
     *
     * @param payload the payload
     * @param limit the most bytes to keep
     * @return a copy of at most {@code limit} bytes
     */
    public static byte[] truncate(final byte[] payload, final int limit) {
        return Arrays.copyOf(payload, Math.min(payload.length, limit));
    }

    // Unregistered reasons are refused here, so a reason every process emits is one operators can look up.
    private static String registered(final String reason) {
        Objects.requireNonNull(reason, "reason");
        if (DeadLetterReason.ofCode(reason).isEmpty()) {
            throw new IllegalArgumentException("Dead-letter reason " + reason + " is not declared in DeadLetterReason");
        }
        return reason;
    }

    private static String truncate(final String detail) {
        return detail.length() <= MAX_DETAIL_CHARS ? detail : detail.substring(0, MAX_DETAIL_CHARS - 3) + "...";
    }
}
