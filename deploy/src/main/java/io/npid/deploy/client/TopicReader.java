package io.npid.deploy.client;

import io.npid.deploy.process.KafkaClientConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads one topic's records as bytes, for {@code npid tail}: the last N, or from the beginning, up to the end the
 * topic had when reading began or on as new records come; optionally only the records of one key.
 *
 * <p>No consumer group: the partitions are assigned, nothing is committed, and the reader disturbs no process. A key
 * is looked for only in the partition Kafka's default partitioner puts it in (murmur2 of its UTF-8 bytes, what every
 * npid producer and any other client with the default partitioner uses).
 */
public final class TopicReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    /** Where reading starts. */
    public enum Start {
        /** The last records: as many as the reader's limit (the default of npid tail). */
        LAST,
        /** The first record each partition still holds. */
        BEGINNING,
        /** The end: only records written after reading began. */
        END
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final List<TopicPartition> partitions;

    /**
     * Opens a consumer assigned to the topic's partitions (or to the one that holds {@code key}).
     *
     * @param config client settings
     * @param topic the topic's full name
     * @param key only this key's records, or null for all
     * @param wait how long to wait for the topic's metadata
     * @throws KafkaException when the topic does not exist
     */
    public TopicReader(final KafkaClientConfig config, final String topic, final String key, final Duration wait) {
        final Map<String, Object> settings = config.with(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "npid-tail",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // the indexer writes results in transactions: an aborted answer was never given
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                // a record of the images topic may be as large as an image (8 MiB by default)
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                1024 * 1024,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                100));
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, wait);
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new KafkaException("topic " + topic + " does not exist");
        }
        final List<TopicPartition> all = infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
        this.partitions = key == null ? all : List.of(new TopicPartition(topic, partitionOf(key, all.size())));
        consumer.assign(partitions);
    }

    /**
     * The partition Kafka's default partitioner gives a key.
     *
     * @param key the key
     * @param count the topic's partition count
     * @return the partition
     */
    public static int partitionOf(final String key, final int count) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % count;
    }

    /** @return the partitions read */
    public List<TopicPartition> partitions() {
        return partitions;
    }

    /**
     * Reads records and hands each to {@code sink}, in offset order within a partition.
     *
     * @param start where to start
     * @param follow keep waiting for new records after the end the topic had at the start
     * @param max the most records handed on (for {@link Start#LAST}, how many of the last)
     * @param key only records with this key, or null
     * @param sink receives the records
     * @return how many were handed on
     */
    public long read(
            final Start start,
            final boolean follow,
            final long max,
            final String key,
            final Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        final Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        long handed = 0;
        if (start == Start.LAST) {
            for (ConsumerRecord<byte[], byte[]> record : last(max, key, beginnings, ends)) {
                sink.accept(record);
                handed++;
            }
            if (!follow) {
                return handed;
            }
            partitions.forEach(p -> consumer.seek(p, ends.get(p)));
        } else if (start == Start.BEGINNING) {
            partitions.forEach(p -> consumer.seek(p, beginnings.get(p)));
        } else {
            partitions.forEach(p -> consumer.seek(p, ends.get(p)));
        }
        while (handed < max && (follow || !reached(ends))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (!follow && record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                    continue; // written after the start: only with --follow
                }
                if (matches(record, key) && handed < max) {
                    sink.accept(record);
                    handed++;
                }
            }
        }
        return handed;
    }

    /** The last {@code max} records (of the key) before the ends, in time order across partitions. */
    private List<ConsumerRecord<byte[], byte[]>> last(
            final long max,
            final String key,
            final Map<TopicPartition, Long> beginnings,
            final Map<TopicPartition, Long> ends) {
        final int keep = (int) Math.min(max, 100_000);
        final Deque<ConsumerRecord<byte[], byte[]>> kept = new ArrayDeque<>();
        for (TopicPartition partition : partitions) {
            // without a key the last records are the last offsets; with one, the whole partition is looked through
            final long from = key == null
                    ? Math.max(beginnings.get(partition), ends.get(partition) - keep)
                    : beginnings.get(partition);
            consumer.seek(partition, from);
        }
        final Map<TopicPartition, Long> remaining = new HashMap<>(ends);
        while (!reached(remaining)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < ends.get(partition) && matches(record, key)) {
                    kept.addLast(record);
                    if (key != null && kept.size() > keep) {
                        kept.removeFirst();
                    }
                }
            }
        }
        final List<ConsumerRecord<byte[], byte[]>> sorted = new ArrayList<>(kept);
        sorted.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
                .thenComparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return sorted.subList(Math.max(0, sorted.size() - keep), sorted.size());
    }

    /** Whether every partition's position is at or past its end offset. */
    private boolean reached(final Map<TopicPartition, Long> ends) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < ends.get(partition)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(final ConsumerRecord<byte[], byte[]> record, final String key) {
        return key == null
                || record.key() != null
                        && Arrays.equals(record.key(), key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** @return the topic's full name */
    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
