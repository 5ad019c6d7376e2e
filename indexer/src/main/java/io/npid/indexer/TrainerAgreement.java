package io.npid.indexer;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.config.SharedSettings;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.schemas.serde.SchemaDecodeException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The indexer's start-time check that it shares the trainer's settings ({@link SharedSettings}): it reads the
 * latest checkpoint of every model from the tail of the checkpoints topic and fails, naming the setting and both
 * values, when the trainer published another {@code npid.low.dim} than the indexer's. Without it such an indexer
 * starts and dead-letters every feature as wrong-dimension. No checkpoint yet (a new deployment) passes.
 */
public final class TrainerAgreement {

    /** Records read from the end of each partition: the compacted topic holds one per model, plus a few stale. */
    static final int TAIL = 16;

    private TrainerAgreement() {}

    /**
     * Reads the latest checkpoints and checks the shared settings against them.
     *
     * @param config the indexer's configuration (its Kafka client properties and topics)
     * @param timeout how long to read the checkpoints' tail
     * @throws ConfigException naming the first setting that differs from the trainer's
     */
    public static void verify(final IndexerConfig config, final Duration timeout) {
        final Map<String, Object> properties = new HashMap<>();
        config.clientProperties().forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                properties.put(key, value);
            }
        });
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (Consumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            check(latest(consumer, config.topics().checkpoints(), timeout), config.dimension());
        }
    }

    /**
     * Checks the indexer's shared settings against each model's latest checkpoint.
     *
     * @param checkpoints the latest checkpoint of each model
     * @param dimension the indexer's {@code npid.low.dim}
     * @throws ConfigException naming the first setting that differs
     */
    static void check(final Collection<ModelCheckpoint> checkpoints, final int dimension) {
        for (final ModelCheckpoint checkpoint : checkpoints) {
            // config carries npid.low.dim since the first checkpoint schema; settings only since v2
            final Map<String, Object> published = new TreeMap<>(checkpoint.getConfig());
            published.putAll(checkpoint.getSettings());
            SharedSettings.requireAgreement(
                    published,
                    "the trainer's checkpoint (model " + checkpoint.getModelName() + " v" + checkpoint.getVersion()
                            + ")",
                    Map.of(SharedSettings.DIMENSION, dimension),
                    "indexer");
        }
    }

    /**
     * The highest-version checkpoint of each model among the last {@link #TAIL} records of every partition.
     *
     * @param consumer a consumer without group, not subscribed (it is assigned here)
     * @param topic the checkpoints topic
     * @param timeout how long to read
     * @return the latest checkpoint per model; empty when the topic is missing or empty
     */
    static Collection<ModelCheckpoint> latest(
            final Consumer<byte[], byte[]> consumer,
            final TopicSpec<String, ModelCheckpoint> topic,
            final Duration timeout) {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
        if (infos == null || infos.isEmpty()) {
            return List.of();
        }
        final List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        final Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        for (final TopicPartition partition : partitions) {
            consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - TAIL));
        }
        final Map<String, ModelCheckpoint> byModel = new TreeMap<>();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() == null) {
                    continue;
                }
                try {
                    final ModelCheckpoint checkpoint =
                            topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    byModel.merge(
                            checkpoint.getModelName(),
                            checkpoint,
                            (old, now) -> now.getVersion() >= old.getVersion() ? now : old);
                } catch (final SchemaDecodeException e) {
                    // not ours to judge: the embedders dead-letter it; the check uses the readable ones
                }
            }
        }
        return byModel.values();
    }
}
