package io.npid.deploy.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads every partition of one topic without a consumer group, from the beginning or from the end, and keeps the
 * decoded records it has seen; the tests' view of {@code results} and {@code dead-letters}.
 *
 * <p>Not thread-safe: poll it from the test thread.
 *
 * @param <V> the value type
 */
final class TopicTail<V> implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<V> values;
    private final String topic;
    private final List<ConsumerRecord<byte[], V>> seen = new ArrayList<>();

    /**
     * Opens the tail.
     *
     * @param clientSettings bootstrap servers and security settings
     * @param topic the topic
     * @param values the value deserializer
     * @param fromBeginning true to read what is there already, false to see only what comes next
     */
    TopicTail(
            final Map<String, ?> clientSettings,
            final String topic,
            final Deserializer<V> values,
            final boolean fromBeginning) {
        final Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "tail-" + topic);
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.values = values;
        this.topic = topic;
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
        final List<TopicPartition> partitions = infos.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position);
    }

    /**
     * Polls once and keeps what arrived (a record whose value does not decode is kept with a null value).
     *
     * @param timeout the poll timeout
     * @return the records that arrived in this poll
     */
    List<ConsumerRecord<byte[], V>> poll(final Duration timeout) {
        final List<ConsumerRecord<byte[], V>> fresh = new ArrayList<>();
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            V value;
            try {
                value = r.value() == null ? null : values.deserialize(topic, r.value());
            } catch (RuntimeException e) {
                value = null;
            }
            fresh.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), value));
        }
        seen.addAll(fresh);
        return fresh;
    }

    /**
     * Polls until the records seen so far satisfy a condition.
     *
     * @param done the condition on every record seen
     * @param timeout how long to try
     * @return whether the condition held before the timeout
     */
    boolean awaitSeen(final Predicate<List<ConsumerRecord<byte[], V>>> done, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            poll(Duration.ofMillis(100));
        }
        return true;
    }

    /** @return every record seen so far, in arrival order */
    List<ConsumerRecord<byte[], V>> seen() {
        return seen;
    }

    /** @return the decoded values seen so far (nulls left out) */
    List<V> values() {
        return seen.stream()
                .map(ConsumerRecord::value)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
