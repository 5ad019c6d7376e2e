package io.npid.schemas.kafka;

import io.npid.schemas.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka client settings npid-stream's processes start from: low latency for the query path and raised size
 * limits for model checkpoints.
 *
 * <p>Each method returns a new mutable map; layer them with {@link #layered} so that the settings a user passes
 * (bootstrap servers, SASL/SSL, overrides of these defaults) win. A Streams round trip seen while planning
 * (issue 2): p50 110 ms with Kafka's defaults, 13-21 ms with these.
 *
 * <p>Only compile-time constant keys of {@link StreamsConfig} are used, so this class runs without kafka-streams
 * on the class path.
 */
public final class ClientDefaults {

    /** Commit interval of Streams apps: results are visible to read-committed readers only after a commit. */
    public static final long STREAMS_COMMIT_INTERVAL_MS = 50;

    /**
     * The largest request a checkpoint producer sends: the topic's message limit plus room for the record
     * batch and request headers.
     */
    public static final int CHECKPOINT_MAX_REQUEST_BYTES = Topics.CHECKPOINT_MAX_MESSAGE_BYTES + 1024 * 1024;
    /** Kafka's default {@code buffer.memory}, 32 MiB. */
    private static final long DEFAULT_BUFFER_MEMORY = 32L * 1024 * 1024;

    private ClientDefaults() {}

    /**
     * Producer settings that send each record at once.
     *
     * <p>{@code linger.ms=0} stops the producer from waiting up to 5 ms (the 4.x default) to fill a batch;
     * idempotence with {@code acks=all} keeps retries from duplicating or reordering records.
     *
     * @return producer configs
     */
    public static Map<String, Object> lowLatencyProducer() {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    /**
     * Consumer settings for processes that react to each record as it arrives.
     *
     * <p>A fetch returns as soon as one byte is there; a new group starts from the earliest offset so nothing
     * produced before the process started is skipped.
     *
     * @return consumer configs
     */
    public static Map<String, Object> lowLatencyConsumer() {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    /**
     * Kafka Streams settings for the indexer's query path.
     *
     * <p>No record cache (a cached update is forwarded only on flush), a short commit interval, and no linger on
     * Streams' own producer.
     *
     * @return Streams configs (with {@code producer.} / {@code consumer.} prefixes where they apply)
     */
    public static Map<String, Object> lowLatencyStreams() {
        final Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, STREAMS_COMMIT_INTERVAL_MS);
        config.put(StreamsConfig.PRODUCER_PREFIX + ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(StreamsConfig.CONSUMER_PREFIX + ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        config.put(StreamsConfig.CONSUMER_PREFIX + ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    /**
     * Producer settings that can send a checkpoint of up to {@link Topics#CHECKPOINT_MAX_MESSAGE_BYTES}.
     *
     * <p>The request limit and the producer's buffer must both hold one whole record.
     *
     * @return producer configs, on top of {@link #lowLatencyProducer()}
     */
    public static Map<String, Object> checkpointProducer() {
        final Map<String, Object> config = lowLatencyProducer();
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, CHECKPOINT_MAX_REQUEST_BYTES);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * CHECKPOINT_MAX_REQUEST_BYTES);
        return config;
    }

    /**
     * Producer size limits for the images and queries topics: a request holds one record of the topics'
     * {@code max.message.bytes} ({@link Topics#imageMaxMessageBytes()}), so an image the trainer would accept is
     * never refused by the producer, and the buffer holds a few of them.
     *
     * @param topics the registry, whose image limit sets the sizes
     * @return producer configs to layer on top of the others
     */
    public static Map<String, Object> imageProducerLimits(final Topics topics) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, topics.imageMaxMessageBytes());
        config.put(
                ProducerConfig.BUFFER_MEMORY_CONFIG,
                Math.max(DEFAULT_BUFFER_MEMORY, 4L * topics.imageMaxMessageBytes()));
        return config;
    }

    /**
     * Consumer settings that fetch a whole checkpoint in one response.
     *
     * @return consumer configs, on top of {@link #lowLatencyConsumer()}
     */
    public static Map<String, Object> checkpointConsumer() {
        final Map<String, Object> config = lowLatencyConsumer();
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, CHECKPOINT_MAX_REQUEST_BYTES);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, CHECKPOINT_MAX_REQUEST_BYTES);
        return config;
    }

    /**
     * Layers configs: later maps override earlier ones, e.g. {@code layered(lowLatencyProducer(), userConfig)}.
     *
     * @param layers configs, lowest priority first
     * @return a new map
     */
    @SafeVarargs
    public static Map<String, Object> layered(final Map<String, ?>... layers) {
        final Map<String, Object> config = new HashMap<>();
        for (final Map<String, ?> layer : layers) {
            config.putAll(layer);
        }
        return config;
    }

    /**
     * The configs as Properties, for APIs that take them (e.g. {@code new KafkaStreams(topology, props)}).
     *
     * @param config configs
     * @return new Properties with the same entries
     */
    public static Properties toProperties(final Map<String, ?> config) {
        final Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }
}
