package io.npid.trainer.stream;

import io.npid.schemas.Topics;
import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.trainer.data.DecodedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producers, consumers and records for the embedded-broker tests of the trainer and the embedder. */
public final class StreamFixtures {
    private StreamFixtures() {}

    /**
     * A trainer configuration for tests: tiny batches, frequent checkpoints, CPU, one thread.
     *
     * @param bootstrap the broker
     * @param prefix a topic prefix of this test
     * @param dataDir the trainer's state directory
     * @return a mutable settings map
     */
    public static Map<String, Object> trainerSettings(final String bootstrap, final String prefix, final Path dataDir) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put(Topics.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(Topics.TOPIC_PARTITIONS_CONFIG, "2");
        settings.put(StreamingTrainerConfig.DATA_DIR_CONFIG, dataDir.toString());
        settings.put(StreamingTrainerConfig.CHECKPOINT_INTERVAL_STEPS_CONFIG, "4");
        settings.put(StreamingTrainerConfig.PUBLISH_INTERVAL_MS_CONFIG, "100");
        settings.put(StreamingTrainerConfig.PROGRESS_INTERVAL_MS_CONFIG, "500");
        settings.put(StreamingTrainerConfig.POLL_TIMEOUT_MS_CONFIG, "50");
        settings.put("npid.batch.size", "16");
        settings.put("npid.device", "cpu");
        settings.put("npid.threads", "1");
        settings.put("npid.loader.prefetch", "1");
        return settings;
    }

    /**
     * Creates a raw byte producer.
     *
     * @param bootstrap the broker
     * @return a producer that waits for all replicas
     */
    public static KafkaProducer<byte[], byte[]> producer(final String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        8 << 20,
                        // see KafkaClientSettings.ORDERED_PRODUCER: fresh topics can reorder in-flight batches
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        1),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /**
     * Encodes an image event with RAW pixels.
     *
     * @param id the image id
     * @param image the pixels
     * @param label the label or null
     * @return the single-object payload
     */
    public static byte[] imageEvent(final String id, final DecodedImage image, final Integer label) {
        return EventSerde.of(ImageEvent.class)
                .encode(ImageEvent.newBuilder()
                        .setId(id)
                        .setImage(raw(image))
                        .setLabel(label)
                        .setTimestampMs(System.currentTimeMillis())
                        .build());
    }

    /**
     * Wraps pixels as a RAW Avro image.
     *
     * @param image the pixels
     * @return the Avro image
     */
    public static Image raw(final DecodedImage image) {
        return Image.newBuilder()
                .setEncoding(ImageEncoding.RAW)
                .setData(ByteBuffer.wrap(image.pixels()))
                .setWidth(image.width())
                .setHeight(image.height())
                .setChannels(image.channels())
                .build();
    }

    /**
     * Encodes a legacy label event, with only the int label (its class is the label's decimal string).
     *
     * @param id the image id
     * @param label the label
     * @return the payload
     */
    public static byte[] labelEvent(final String id, final int label) {
        return labelEvent(id, label, null);
    }

    /**
     * Encodes a label event with a class name.
     *
     * @param id the image id
     * @param label the int label as the producer numbers it
     * @param className the class name, or null for a legacy event
     * @return the payload
     */
    public static byte[] labelEvent(final String id, final int label, final String className) {
        return EventSerde.of(LabelEvent.class)
                .encode(LabelEvent.newBuilder()
                        .setId(id)
                        .setLabel(label)
                        .setClassName(className)
                        .build());
    }

    /**
     * Returns the UTF-8 bytes of a key.
     *
     * @param key the key
     * @return its bytes
     */
    public static byte[] key(final String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends records and waits for every acknowledgement.
     *
     * @param producer the producer
     * @param records the records
     * @throws Exception when a send fails
     */
    public static void sendAll(
            final KafkaProducer<byte[], byte[]> producer, final List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        final List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (final ProducerRecord<byte[], byte[]> record : records) {
            acks.add(producer.send(record));
        }
        for (final java.util.concurrent.Future<?> ack : acks) {
            ack.get();
        }
    }

    /**
     * Reads a topic from the beginning until the records read satisfy a condition or the time runs out.
     *
     * @param bootstrap the broker
     * @param topic the topic
     * @param until stops reading once it holds for the records read so far
     * @param timeout the longest wait
     * @return every record read
     */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(
            final String bootstrap,
            final String topic,
            final Predicate<List<ConsumerRecord<byte[], byte[]>>> until,
            final Duration timeout) {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 70 << 20,
                        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 70 << 20),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (!until.test(records) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }
}
