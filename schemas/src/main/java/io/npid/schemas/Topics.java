package io.npid.schemas;

import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.serde.EventSerde;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The immutable registry of every npid-stream topic, with the configurable name prefix applied once.
 *
 * <p>Call sites take the name and serdes from here and never repeat them. Data topics (images, labels, features,
 * queries, query-vectors, results) share one partition count, since features and labels are joined by image id
 * and must be co-partitioned; checkpoints, dead-letters and schemas have one partition. Features, checkpoints and
 * schemas are compacted (latest value per key); checkpoints allow messages of {@link #CHECKPOINT_MAX_MESSAGE_BYTES}; images and
 * queries allow an image of {@link #IMAGE_MAX_BYTES_CONFIG} bytes plus its record around it
 * ({@link #imageMaxMessageBytes()}), so a producer, the broker and the trainer agree on the largest image.
 *
 * <p>Why one file of this length: it is the catalogue of the wire contract, one documented accessor per topic, read
 * in one place by every process and by docs/clients.md.
 */
public final class Topics {

    /** {@code npid.topic.prefix}: the prefix of every topic name. */
    public static final String TOPIC_PREFIX_CONFIG = "npid.topic.prefix";
    /** Doc of {@link #TOPIC_PREFIX_CONFIG}. */
    public static final String TOPIC_PREFIX_DOC = "Prefix of every topic name, e.g. 'npid.' gives npid.images. "
            + "Default 'npid.'; may be empty; topic-name characters only (ASCII letters, digits, '.', '_', '-').";
    /** Default of {@link #TOPIC_PREFIX_CONFIG}. */
    public static final String DEFAULT_TOPIC_PREFIX = "npid.";

    /** {@code npid.topic.partitions}: partitions of the data topics when they are created. */
    public static final String TOPIC_PARTITIONS_CONFIG = "npid.topic.partitions";
    /** Doc of {@link #TOPIC_PARTITIONS_CONFIG}. */
    public static final String TOPIC_PARTITIONS_DOC = "Partitions of images, labels, features, queries, "
            + "query-vectors and results when created; the indexer's and embedders' parallelism. Default 4, 1..1000.";
    /** Default of {@link #TOPIC_PARTITIONS_CONFIG}. */
    public static final int DEFAULT_PARTITIONS = 4;

    private static final int MAX_PARTITIONS = 1000;

    /** The largest checkpoint record the checkpoints topic accepts: 64 MiB (a ResNet18 encoder is about 45 MB). */
    public static final int CHECKPOINT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    /**
     * {@code npid.image.max.bytes}: the largest encoded image (PNG/JPEG file or raw pixels) in bytes. The one
     * declaration of the limit: the trainer and the embedder refuse larger images, clients refuse to send them,
     * and the images and queries topics are created to hold one.
     */
    public static final String IMAGE_MAX_BYTES_CONFIG = "npid.image.max.bytes";
    /** Doc of {@link #IMAGE_MAX_BYTES_CONFIG}. */
    public static final String IMAGE_MAX_BYTES_DOC = "Largest accepted encoded image, in bytes: clients refuse to "
            + "send larger ones, the trainer and embedder send them to dead-letters as too-large, and the images and "
            + "queries topics are created with max.message.bytes of this plus 65536. Default 8388608 (8 MiB), "
            + "1..1073741824.";
    /** Default of {@link #IMAGE_MAX_BYTES_CONFIG}: 8 MiB, a large camera JPEG. */
    public static final int DEFAULT_IMAGE_MAX_BYTES = 8 * 1024 * 1024;
    /**
     * Room around an image's bytes in its record: the Avro envelope (id, source, class name, timestamps, shape)
     * and Kafka's key and record-batch headers; 64 KiB holds ids far longer than any file path.
     */
    public static final int IMAGE_RECORD_OVERHEAD_BYTES = 64 * 1024;

    private static final int MAX_IMAGE_MAX_BYTES = 1 << 30;

    /** Unprefixed name of the images topic. */
    public static final String IMAGES = "images";
    /** Unprefixed name of the labels topic. */
    public static final String LABELS = "labels";
    /** Unprefixed name of the features topic. */
    public static final String FEATURES = "features";
    /** Unprefixed name of the checkpoints topic. */
    public static final String CHECKPOINTS = "checkpoints";
    /** Unprefixed name of the queries topic. */
    public static final String QUERIES = "queries";
    /** Unprefixed name of the query-vectors topic. */
    public static final String QUERY_VECTORS = "query-vectors";
    /** Unprefixed name of the results topic. */
    public static final String RESULTS = "results";
    /** Unprefixed name of the dead-letters topic. */
    public static final String DEAD_LETTERS = "dead-letters";
    /** Unprefixed name of the schemas topic: every writer's schemas by fingerprint, for older readers. */
    public static final String SCHEMAS = "schemas";

    private static final int MAX_TOPIC_NAME = 249;
    private static final Map<String, String> COMPACTED =
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    private static final Map<String, String> CHECKPOINT_CONFIG = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            Integer.toString(CHECKPOINT_MAX_MESSAGE_BYTES));

    private final String prefix;
    private final int imageMaxBytes;
    private final TopicSpec<String, ImageEvent> images;
    private final TopicSpec<String, LabelEvent> labels;
    private final TopicSpec<String, FeatureEvent> features;
    private final TopicSpec<String, ModelCheckpoint> checkpoints;
    private final TopicSpec<String, QueryEvent> queries;
    private final TopicSpec<String, QueryVector> queryVectors;
    private final TopicSpec<String, ClassificationResult> results;
    private final TopicSpec<byte[], DeadLetter> deadLetters;
    private final TopicSpec<String, String> schemas;

    private Topics(final String prefix, final int partitions, final int imageMaxBytes) {
        this.prefix = validatePrefix(prefix);
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new ConfigException(TOPIC_PARTITIONS_CONFIG, partitions, "must be between 1 and " + MAX_PARTITIONS);
        }
        if (imageMaxBytes < 1 || imageMaxBytes > MAX_IMAGE_MAX_BYTES) {
            throw new ConfigException(
                    IMAGE_MAX_BYTES_CONFIG, imageMaxBytes, "must be between 1 and " + MAX_IMAGE_MAX_BYTES);
        }
        this.imageMaxBytes = imageMaxBytes;
        final Map<String, String> imageRecords =
                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(imageMaxMessageBytes()));
        images = new TopicSpec<>(
                prefix + IMAGES, Serdes.String(), EventSerde.of(ImageEvent.class), partitions, imageRecords);
        labels = new TopicSpec<>(
                prefix + LABELS, Serdes.String(), EventSerde.of(LabelEvent.class), partitions, Map.of());
        features = new TopicSpec<>(
                prefix + FEATURES, Serdes.String(), EventSerde.of(FeatureEvent.class), partitions, COMPACTED);
        checkpoints = new TopicSpec<>(
                prefix + CHECKPOINTS, Serdes.String(), EventSerde.of(ModelCheckpoint.class), 1, CHECKPOINT_CONFIG);
        queries = new TopicSpec<>(
                prefix + QUERIES, Serdes.String(), EventSerde.of(QueryEvent.class), partitions, imageRecords);
        queryVectors = new TopicSpec<>(
                prefix + QUERY_VECTORS, Serdes.String(), EventSerde.of(QueryVector.class), partitions, Map.of());
        results = new TopicSpec<>(
                prefix + RESULTS, Serdes.String(), EventSerde.of(ClassificationResult.class), partitions, Map.of());
        deadLetters = new TopicSpec<>(
                prefix + DEAD_LETTERS, Serdes.ByteArray(), EventSerde.of(DeadLetter.class), 1, Map.of());
        schemas = new TopicSpec<>(prefix + SCHEMAS, Serdes.String(), Serdes.String(), 1, COMPACTED);
    }

    /**
     * The registry with the default prefix {@value #DEFAULT_TOPIC_PREFIX} and {@value #DEFAULT_PARTITIONS}
     * partitions.
     *
     * @return the registry
     */
    public static Topics defaults() {
        return new Topics(DEFAULT_TOPIC_PREFIX, DEFAULT_PARTITIONS, DEFAULT_IMAGE_MAX_BYTES);
    }

    /**
     * The registry with a prefix and {@value #DEFAULT_PARTITIONS} partitions.
     *
     * @param prefix topic-name prefix, may be empty
     * @return the registry
     * @throws ConfigException if the prefix has characters a topic name cannot have or is too long
     */
    public static Topics withPrefix(final String prefix) {
        return new Topics(prefix, DEFAULT_PARTITIONS, DEFAULT_IMAGE_MAX_BYTES);
    }

    /**
     * The registry from {@link #TOPIC_PREFIX_CONFIG}, {@link #TOPIC_PARTITIONS_CONFIG} and
     * {@link #IMAGE_MAX_BYTES_CONFIG}, defaults for absent keys.
     *
     * @param config a process's configuration; other keys are ignored
     * @return the registry
     * @throws ConfigException naming the setting if a value is invalid
     */
    public static Topics fromConfig(final Map<String, ?> config) {
        final Object prefix = config.get(TOPIC_PREFIX_CONFIG);
        return new Topics(
                prefix == null ? DEFAULT_TOPIC_PREFIX : prefix.toString(),
                wholeNumber(config, TOPIC_PARTITIONS_CONFIG, DEFAULT_PARTITIONS),
                wholeNumber(config, IMAGE_MAX_BYTES_CONFIG, DEFAULT_IMAGE_MAX_BYTES));
    }

    private static int wholeNumber(final Map<String, ?> config, final String key, final int absent) {
        final Object value = config.get(key);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (final NumberFormatException e) {
            throw new ConfigException(key, value, "must be a whole number");
        }
    }

    /**
     * The same registry with another partition count for the data topics.
     *
     * @param partitions partitions of images, labels, features, queries, query-vectors and results
     * @return a new registry
     * @throws ConfigException if the count is outside 1..1000
     */
    public Topics withPartitions(final int partitions) {
        return new Topics(prefix, partitions, imageMaxBytes);
    }

    /**
     * The same registry with another image size limit.
     *
     * @param maxBytes the largest encoded image, {@link #IMAGE_MAX_BYTES_CONFIG}
     * @return a new registry
     * @throws ConfigException if the limit is outside 1..1 GiB
     */
    public Topics withImageMaxBytes(final int maxBytes) {
        return new Topics(prefix, images.partitions(), maxBytes);
    }

    /**
     * The largest encoded image, {@link #IMAGE_MAX_BYTES_CONFIG}.
     *
     * @return bytes
     */
    public int imageMaxBytes() {
        return imageMaxBytes;
    }

    /**
     * The {@code max.message.bytes} of the images and queries topics: the largest image plus
     * {@link #IMAGE_RECORD_OVERHEAD_BYTES}; producers of those topics need a {@code max.request.size} this large.
     *
     * @return bytes
     */
    public int imageMaxMessageBytes() {
        return imageMaxBytes + IMAGE_RECORD_OVERHEAD_BYTES;
    }

    /**
     * The prefix applied to every name.
     *
     * @return the prefix
     */
    public String prefix() {
        return prefix;
    }

    /**
     * The images topic: ImageEvent by image id (re-sent id = same image), records up to
     * {@link #imageMaxMessageBytes()}.
     *
     * @return its spec
     */
    public TopicSpec<String, ImageEvent> images() {
        return images;
    }

    /**
     * The labels topic: late LabelEvent by image id.
     *
     * @return its spec
     */
    public TopicSpec<String, LabelEvent> labels() {
        return labels;
    }

    /**
     * The features topic: compacted FeatureEvent (bank rows) by image id.
     *
     * @return its spec
     */
    public TopicSpec<String, FeatureEvent> features() {
        return features;
    }

    /**
     * The checkpoints topic: compacted ModelCheckpoint by model name, one partition, 64 MiB messages.
     *
     * @return its spec
     */
    public TopicSpec<String, ModelCheckpoint> checkpoints() {
        return checkpoints;
    }

    /**
     * The queries topic: QueryEvent by query id, records up to {@link #imageMaxMessageBytes()}.
     *
     * @return its spec
     */
    public TopicSpec<String, QueryEvent> queries() {
        return queries;
    }

    /**
     * The query-vectors topic: QueryVector by query id, from the embedders to the indexer.
     *
     * @return its spec
     */
    public TopicSpec<String, QueryVector> queryVectors() {
        return queryVectors;
    }

    /**
     * The results topic: ClassificationResult by query id (or reply key).
     *
     * @return its spec
     */
    public TopicSpec<String, ClassificationResult> results() {
        return results;
    }

    /**
     * The dead-letters topic: DeadLetter by the rejected record's original key bytes, one partition.
     *
     * @return its spec
     */
    public TopicSpec<byte[], DeadLetter> deadLetters() {
        return deadLetters;
    }

    /**
     * The schemas topic: compacted, one partition; key the 16 hex digits of a writer schema's fingerprint, value
     * the schema's JSON (with its defaults). Writers register here and older readers look up newer writers'
     * schemas here ({@code io.npid.schemas.kafka.SchemaTopic}), as Kafka schema registries store theirs.
     *
     * @return its spec
     */
    public TopicSpec<String, String> schemas() {
        return schemas;
    }

    /**
     * Every topic, in pipeline order.
     *
     * @return the nine specs
     */
    public List<TopicSpec<?, ?>> all() {
        return List.of(images, labels, features, checkpoints, queries, queryVectors, results, deadLetters, schemas);
    }

    /**
     * Looks up a topic by its full name.
     *
     * @param name full topic name
     * @return the spec, if it is one of ours
     */
    public Optional<TopicSpec<?, ?>> byName(final String name) {
        return all().stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return "Topics[prefix='" + prefix + "', partitions=" + images.partitions() + ", imageMaxBytes=" + imageMaxBytes
                + "]";
    }

    private static String validatePrefix(final String prefix) {
        Objects.requireNonNull(prefix, TOPIC_PREFIX_CONFIG);
        if (prefix.length() + QUERY_VECTORS.length() > MAX_TOPIC_NAME) {
            throw new ConfigException(
                    TOPIC_PREFIX_CONFIG, prefix, "too long: topic names are at most " + MAX_TOPIC_NAME + " characters");
        }
        for (int i = 0; i < prefix.length(); i++) {
            final char c = prefix.charAt(i);
            final boolean legal = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!legal) {
                throw new ConfigException(
                        TOPIC_PREFIX_CONFIG,
                        prefix,
                        "character '" + c + "' is not allowed in topic names (ASCII letters, digits, '.', '_', '-')");
            }
        }
        return prefix;
    }
}
