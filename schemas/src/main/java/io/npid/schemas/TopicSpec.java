package io.npid.schemas;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the system: its full name, the serdes of its keys and values, its default partition count and the
 * topic-level configs it must have.
 *
 * @param name full topic name, prefix included
 * @param keySerde serde of the record keys
 * @param valueSerde serde of the record values
 * @param partitions partition count used when the topic is created
 * @param config topic-level configs ({@code TopicConfig} keys) the topic must have, e.g. compaction
 * @param <K> key type
 * @param <V> value type
 */
public record TopicSpec<K, V>(
        String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, Map<String, String> config) {

    /**
     * Validates and copies the spec.
     *
     * @throws IllegalArgumentException if partitions is below 1
     */
    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic " + name + " needs at least 1 partition, not " + partitions);
        }
        config = Map.copyOf(config);
    }

    /**
     * The same topic with another partition count.
     *
     * @param count the partition count, at least 1
     * @return a new spec
     */
    public TopicSpec<K, V> withPartitions(final int count) {
        return new TopicSpec<>(name, keySerde, valueSerde, count, config);
    }

    /**
     * The request that creates this topic with the cluster's default replication factor.
     *
     * @return the new-topic request
     */
    public NewTopic newTopic() {
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(config);
    }
}
