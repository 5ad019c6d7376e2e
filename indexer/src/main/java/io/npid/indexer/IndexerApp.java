package io.npid.indexer;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.kafka.TopicMismatch;
import io.npid.schemas.kafka.TopicMismatchException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Wires the indexer for a process that runs it: checks the topics it depends on and builds the KafkaStreams
 * instance; the caller (the deploy module) owns start, state listeners, the uncaught-exception handler and close.
 *
 * <pre>{@code
 * IndexerConfig config = IndexerConfig.from(settings);
 * try (Admin admin = Admin.create(IndexerTopology.streamsProperties(config))) {
 *     IndexerApp.verifyTopics(admin, config.topics(), Duration.ofSeconds(30));
 * }
 * KafkaStreams streams = IndexerApp.create(config);
 * streams.start();   // and streams.close() on shutdown
 * }</pre>
 */
public final class IndexerApp {

    private IndexerApp() {
    }

    /**
     * Builds the indexer's KafkaStreams from its configuration (topology and properties), without starting it.
     *
     * @param config the indexer configuration; its client properties must name the bootstrap servers
     * @return a new, unstarted KafkaStreams
     */
    public static KafkaStreams create(final IndexerConfig config) {
        final Topology topology = new IndexerTopology(config).build();
        final Properties properties = IndexerTopology.streamsProperties(config);
        return new KafkaStreams(topology, properties);
    }

    /**
     * Checks that the topics the indexer reads and writes exist with the partitions and configs of the registry;
     * above all that features and labels have the same partition count, since each shard joins them by key.
     *
     * @param admin an admin client of the cluster (not closed here)
     * @param topics the registry
     * @param timeout how long to wait for each admin call
     * @throws TopicMismatchException listing every difference, so that the process fails fast with the cause
     */
    public static void verifyTopics(final Admin admin, final Topics topics, final Duration timeout) {
        final List<TopicSpec<?, ?>> used = List.of(topics.features(), topics.labels(), topics.queryVectors(),
                topics.results(), topics.deadLetters());
        final List<TopicMismatch> mismatches = new TopicAdmin(admin, timeout).verify(used);
        if (!mismatches.isEmpty()) {
            throw new TopicMismatchException(mismatches);
        }
    }
}
