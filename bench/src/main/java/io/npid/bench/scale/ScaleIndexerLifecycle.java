package io.npid.bench.scale;

import io.npid.indexer.IndexerApp;
import io.npid.indexer.IndexerConfig;
import io.npid.indexer.IndexerTopology;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Starts and stops the indexer for {@link ScaleIndexerRun}: waits until it owns every features partition, counts the
 * changelog records a restart restored and the rows its shard store holds.
 */
final class ScaleIndexerLifecycle {

    private final Duration wait;

    ScaleIndexerLifecycle(final Duration wait) {
        this.wait = wait;
    }

    KafkaStreams start(final IndexerConfig config, final AtomicLong restored) throws InterruptedException {
        final KafkaStreams streams = IndexerApp.create(config);
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(
                    final TopicPartition partition, final String store, final long start, final long end) {}

            @Override
            public void onBatchRestored(
                    final TopicPartition partition, final String store, final long end, final long count) {
                if (IndexerTopology.SHARD_STORE.equals(store)) {
                    restored.addAndGet(count);
                }
            }

            @Override
            public void onRestoreEnd(final TopicPartition partition, final String store, final long total) {}
        });
        streams.start();
        final long deadline = System.nanoTime() + wait.toNanos();
        // RUNNING alone is not enough: a rebalance may finish before every shard is assigned (the previous
        // instance's leave not yet seen), so wait until active tasks own every features partition
        while (streams.state() != KafkaStreams.State.RUNNING
                || ownedFeaturePartitions(streams, config)
                        < config.topics().features().partitions()) {
            if (System.nanoTime() > deadline
                    || !streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                final KafkaStreams.State state = streams.state();
                stop(streams);
                throw new IllegalStateException("The indexer is " + state + ", not RUNNING");
            }
            Thread.sleep(10);
        }
        return streams;
    }

    private static long ownedFeaturePartitions(final KafkaStreams streams, final IndexerConfig config) {
        final String features = config.topics().features().name();
        return streams.metadataForLocalThreads().stream()
                .flatMap(t -> t.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(features))
                .count();
    }

    /** Closes, leaving the group so the next instance is assigned at once instead of after a session timeout. */
    static void stop(final KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
    }

    long countRowsWhenQueryable(final KafkaStreams streams) throws InterruptedException {
        final long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return countRows(streams);
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                // a rebalance in progress; the tasks come back
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Rows in the shard store over every partition: what {@code init} rebuilt the index from. */
    private static long countRows(final KafkaStreams streams) {
        final ReadOnlyKeyValueStore<String, Object> store = streams.store(StoreQueryParameters.fromNameAndType(
                IndexerTopology.SHARD_STORE, QueryableStoreTypes.<String, Object>keyValueStore()));
        long rows = 0;
        try (KeyValueIterator<String, Object> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                rows++;
            }
        }
        return rows;
    }
}
