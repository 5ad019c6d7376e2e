package io.npid.trainer.stream;

import io.npid.schemas.DeadLetters;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.event.DeadLetter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends rejected input records to the {@code dead-letters} topic and counts them by reason.
 *
 * <p>Sends are asynchronous; {@link #flush()} waits for them and throws if one failed, so a caller that flushes
 * before it commits its own progress (the trainer's ingest batch, the embedder's offsets) never loses a dead
 * letter (at-least-once). The first rejection of each reason is logged at WARN, the rest at DEBUG, to keep logs
 * quiet under a flood of bad input. Thread-safe.
 */
public final class DeadLetterSink {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

    private final Producer<byte[], byte[]> producer;
    private final TopicSpec<byte[], DeadLetter> topic;
    private final DeadLetters letters;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * Creates a sink.
     *
     * @param producer a byte-array producer, owned by the caller
     * @param topic the dead-letters topic
     * @param letters the dead-letter builder of this process
     */
    public DeadLetterSink(
            final Producer<byte[], byte[]> producer,
            final TopicSpec<byte[], DeadLetter> topic,
            final DeadLetters letters) {
        this.producer = producer;
        this.topic = topic;
        this.letters = letters;
    }

    /**
     * Sends a dead letter for a consumed record.
     *
     * @param record the rejected record
     * @param reason a stable kebab-case reason code
     * @param detail a human sentence naming the offending value
     */
    public void send(final ConsumerRecord<byte[], byte[]> record, final String reason, final String detail) {
        final DeadLetter letter = letters.of(record, reason, detail);
        final byte[] value = topic.valueSerde().serializer().serialize(topic.name(), letter);
        producer.send(new ProducerRecord<>(topic.name(), record.key(), value), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
        final LongAdder count = counts.computeIfAbsent(reason, r -> new LongAdder());
        count.increment();
        if (count.sum() == 1) {
            LOG.warn(
                    "Rejected a record of {} ({}): {} - further '{}' rejections are logged at DEBUG",
                    record.topic(),
                    reason,
                    detail,
                    reason);
        } else {
            LOG.debug(
                    "Rejected {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(), reason, detail);
        }
    }

    /**
     * Waits until every dead letter sent so far is acknowledged.
     *
     * @throws KafkaException when a send failed; the caller must not commit past the rejected records then
     */
    public void flush() {
        producer.flush();
        final Exception error = failure.getAndSet(null);
        if (error != null) {
            throw new KafkaException("Could not write a dead letter to " + topic.name() + ": " + error, error);
        }
    }

    /**
     * Returns the number of dead letters sent per reason.
     *
     * @return a sorted snapshot of the counts
     */
    public Map<String, Long> countsByReason() {
        final Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((reason, count) -> snapshot.put(reason, count.sum()));
        return snapshot;
    }

    /**
     * Returns the number of dead letters sent.
     *
     * @return the total over all reasons
     */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
