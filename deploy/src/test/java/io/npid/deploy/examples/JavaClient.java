package io.npid.deploy.examples;

import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.QueryEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A client of npid-stream in Java with the schemas jar ({@code io.npid:npid-schemas}) and kafka-clients: the
 * {@link Topics} registry gives each topic's name and serdes, so the records are encoded as npid's own processes
 * encode them. docs/clients.md shows this file; ClientExamplesIT runs it against a running stack.
 */
public final class JavaClient {
    private final String servers;
    private final Topics topics;

    /**
     * A client of one stack.
     *
     * @param servers the bootstrap servers, e.g. 127.0.0.1:9092
     * @param topicPrefix the topics' prefix, npid. by default
     */
    public JavaClient(final String servers, final String topicPrefix) {
        this.servers = servers;
        this.topics = Topics.withPrefix(topicPrefix);
    }

    /**
     * Sends an image to the images topic and its class to the labels topic.
     *
     * @param id the image id: the record key; sending the id again updates the image
     * @param file a PNG or JPEG file
     * @param className its class, or null for an unlabelled image
     */
    public void ingest(final String id, final Path file, final String className)
            throws IOException, ExecutionException, InterruptedException {
        final Image image = image(file);
        final long now = System.currentTimeMillis();
        try (KafkaProducer<String, ImageEvent> images = producer(
                        topics.images().keySerde().serializer(),
                        topics.images().valueSerde().serializer());
                KafkaProducer<String, LabelEvent> labels = producer(
                        topics.labels().keySerde().serializer(),
                        topics.labels().valueSerde().serializer())) {
            images.send(new ProducerRecord<>(
                            topics.images().name(),
                            id,
                            ImageEvent.newBuilder()
                                    .setId(id)
                                    .setImage(image)
                                    .setLabel(null)
                                    .setClassName(null)
                                    .setSource(file.toString())
                                    .setTimestampMs(now)
                                    .build()))
                    .get();
            if (className != null) {
                labels.send(new ProducerRecord<>(
                                topics.labels().name(),
                                id,
                                LabelEvent.newBuilder()
                                        .setId(id)
                                        .setLabel(0)
                                        .setClassName(className)
                                        .setTimestampMs(now)
                                        .build()))
                        .get();
            }
        }
    }

    /**
     * Asks for an image's class and waits for the answer.
     *
     * @param file a PNG or JPEG file
     * @param k neighbours that vote, or null for the indexer's default (200)
     * @param timeout how long to wait
     * @return the answer, or null when none came in time
     */
    public ClassificationResult query(final Path file, final Integer k, final Duration timeout)
            throws IOException, ExecutionException, InterruptedException {
        final String queryId = "java-" + UUID.randomUUID();
        final String requestId = UUID.randomUUID().toString(); // new for every send, so answers never mix
        try (KafkaConsumer<String, ClassificationResult> results = new KafkaConsumer<>(
                Map.of("bootstrap.servers", servers, "enable.auto.commit", false),
                topics.results().keySerde().deserializer(),
                topics.results().valueSerde().deserializer())) {
            // positioned at the end of results before the query goes out, so its answer cannot be missed
            final List<TopicPartition> partitions = results
                    .partitionsFor(topics.results().name())
                    .stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            results.assign(partitions);
            results.seekToEnd(partitions);
            partitions.forEach(results::position);
            try (KafkaProducer<String, QueryEvent> queries = producer(
                    topics.queries().keySerde().serializer(),
                    topics.queries().valueSerde().serializer())) {
                queries.send(new ProducerRecord<>(
                                topics.queries().name(),
                                queryId,
                                QueryEvent.newBuilder()
                                        .setQueryId(queryId)
                                        .setRequestId(requestId)
                                        .setImage(image(file))
                                        .setK(k)
                                        .setReplyKey(null)
                                        .setTimestampMs(System.currentTimeMillis())
                                        .build()))
                        .get();
            }
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, ClassificationResult> record : results.poll(Duration.ofMillis(200))) {
                    // results are keyed by query id (or the query's replyKey); the requestId tells this send's answer
                    if (queryId.equals(record.key())
                            && requestId.equals(record.value().getRequestId())) {
                        return record.value();
                    }
                }
            }
            return null;
        }
    }

    private <V> KafkaProducer<String, V> producer(
            final org.apache.kafka.common.serialization.Serializer<String> keys,
            final org.apache.kafka.common.serialization.Serializer<V> values) {
        // the default partitioner (murmur2 of the key) puts an image's label where the indexer looks for it;
        // requests as large as the largest image the topics take
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        servers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        topics.imageMaxMessageBytes()),
                keys,
                values);
    }

    /** The file's bytes as they are: PNG and JPEG carry their own size. */
    private static Image image(final Path file) throws IOException {
        final byte[] data = Files.readAllBytes(file);
        final ImageEncoding encoding =
                data.length > 3 && (data[0] & 0xff) == 0x89 ? ImageEncoding.PNG : ImageEncoding.JPEG;
        return Image.newBuilder()
                .setEncoding(encoding)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    /**
     * {@code JavaClient SERVERS ingest FILE [CLASS]} or {@code JavaClient SERVERS query FILE}.
     *
     * @param args the arguments
     */
    public static void main(final String[] args) throws Exception {
        final JavaClient client = new JavaClient(args[0], Topics.DEFAULT_TOPIC_PREFIX);
        final Path file = Path.of(args[2]);
        if (args[1].equals("ingest")) {
            client.ingest("java/" + file.getFileName(), file, args.length > 3 ? args[3] : null);
        } else {
            System.out.println(client.query(file, null, Duration.ofSeconds(60)));
        }
    }
}
