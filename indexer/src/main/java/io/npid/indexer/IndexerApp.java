package io.npid.indexer;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.TopicMismatch;
import io.npid.schemas.kafka.TopicMismatchException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
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

    private IndexerApp() {}

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
     * Checks that the topics the indexer reads and writes exist, and that features, labels and query-vectors have
     * the registry's partition count: each shard joins features and labels by key, and the scatter topic gets
     * that count, so a different count would silently leave shards out of every answer.
     *
     * <p>Only describes topics (the Describe ACL the indexer has anyway); topic configs are the business of
     * {@code npid topics}.
     *
     * @param admin an admin client of the cluster (not closed here)
     * @param topics the registry
     * @param timeout how long to wait for the admin call
     * @throws TopicMismatchException listing every missing topic and partition difference
     * @throws org.apache.kafka.common.KafkaException if the cluster cannot be reached in time
     */
    public static void verifyTopics(final Admin admin, final Topics topics, final Duration timeout) {
        final List<TopicSpec<?, ?>> used = List.of(
                topics.features(), topics.labels(), topics.queryVectors(), topics.results(), topics.deadLetters());
        final Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(
                        used.stream().map(TopicSpec::name).toList())
                .topicNameValues();
        final List<TopicMismatch> mismatches = new ArrayList<>();
        for (final TopicSpec<?, ?> spec : used) {
            final TopicDescription description;
            try {
                description = futures.get(spec.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (final ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    mismatches.add(new TopicMismatch(spec.name(), "exists", "true", "false"));
                    continue;
                }
                throw new KafkaException("Could not describe topic " + spec.name() + ": " + e.getCause(), e);
            } catch (final TimeoutException e) {
                throw new KafkaException("Timed out after " + timeout + " describing topic " + spec.name(), e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("Interrupted while describing topic " + spec.name(), e);
            }
            final boolean sharded = spec != topics.results() && spec != topics.deadLetters();
            final int actual = description.partitions().size();
            if (sharded && actual != spec.partitions()) {
                mismatches.add(new TopicMismatch(
                        spec.name(), "partitions", Integer.toString(spec.partitions()), Integer.toString(actual)));
            }
        }
        if (!mismatches.isEmpty()) {
            throw new TopicMismatchException(mismatches);
        }
    }
}
