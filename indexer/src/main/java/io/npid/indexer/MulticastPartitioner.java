package io.npid.indexer;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends every record to every partition of its topic (Kafka Streams multicast, KIP-837): how a query reaches all
 * feature shards.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class MulticastPartitioner<K, V> implements StreamPartitioner<K, V> {

    private final ConcurrentHashMap<Integer, Optional<Set<Integer>>> all = new ConcurrentHashMap<>();

    @Override
    public Optional<Set<Integer>> partitions(final String topic, final K key, final V value, final int numPartitions) {
        return all.computeIfAbsent(
                numPartitions, n -> Optional.of(IntStream.range(0, n).boxed().collect(Collectors.toUnmodifiableSet())));
    }
}
