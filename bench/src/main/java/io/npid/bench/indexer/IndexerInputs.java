package io.npid.bench.indexer;

import io.npid.schemas.Topics;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.QueryVector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the indexer benchmarks send straight to the indexer's input topics (features as the trainer publishes them,
 * query vectors as the embedder does), and the wait until the indexer has consumed them.
 */
public final class IndexerInputs {
    private IndexerInputs() {}

    /**
     * Sends one feature, keyed by its id, as model version 1.
     *
     * @param producer a bytes producer
     * @param topics the topic names
     * @param id the row's id
     * @param vector the encoded vector
     * @param label the row's class
     */
    public static void sendFeature(
            final KafkaProducer<byte[], byte[]> producer,
            final Topics topics,
            final String id,
            final ByteBuffer vector,
            final int label) {
        final FeatureEvent event = FeatureEvent.newBuilder()
                .setId(id)
                .setVector(vector)
                .setLabel(label)
                .setModelVersion(1)
                .setStep(1)
                .setTimestampMs(System.currentTimeMillis())
                .build();
        producer.send(new ProducerRecord<>(
                topics.features().name(),
                id.getBytes(StandardCharsets.UTF_8),
                topics.features().valueSerde().serializer().serialize("", event)));
    }

    /**
     * Sends one query vector, stamped as asked and embedded now.
     *
     * @param producer a bytes producer
     * @param topics the topic names
     * @param id the query id
     * @param vector the encoded vector
     * @param k neighbours asked for
     */
    public static void sendQuery(
            final KafkaProducer<byte[], byte[]> producer,
            final Topics topics,
            final String id,
            final ByteBuffer vector,
            final int k) {
        final long now = System.currentTimeMillis();
        final QueryVector query = QueryVector.newBuilder()
                .setQueryId(id)
                .setVector(vector)
                .setModelVersion(1)
                .setK(k)
                .setQueryTimestampMs(now)
                .setEmbeddedTimestampMs(now)
                .build();
        producer.send(new ProducerRecord<>(
                topics.queryVectors().name(),
                id.getBytes(StandardCharsets.UTF_8),
                topics.queryVectors().valueSerde().serializer().serialize("", query)));
    }

    /**
     * Waits until a consumer group has committed the end of every partition of a topic (as the end was on entry).
     *
     * @param admin an admin client
     * @param group the consumer group (the indexer's application id)
     * @param topic the topic
     * @param partitions its partitions
     * @param timeout how long at most
     * @throws InterruptedException when interrupted
     * @throws ExecutionException when the admin calls fail
     * @throws IllegalStateException when the group has not caught up in time
     */
    public static void awaitCommitted(
            final Admin admin, final String group, final String topic, final int partitions, final Duration timeout)
            throws InterruptedException, ExecutionException {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        final Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            if (ends.entrySet().stream()
                    .allMatch(e -> committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue())) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("The indexer did not consume all features within " + timeout);
    }
}
