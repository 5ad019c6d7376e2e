package io.npid.trainer.embed;

import io.npid.schemas.Topics;
import io.npid.schemas.config.ConfigReader;
import io.npid.schemas.config.SecretMasker;
import io.npid.trainer.data.ImageLimits;
import io.npid.trainer.stream.KafkaClientSettings;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The immutable, validated configuration of the query embedder.
 *
 * <p>Built from one flat map of {@code npid.embedder.*} keys, the shared {@code npid.*} keys (topic prefix and
 * partitions as read by {@link Topics#fromConfig}; model name and image limits with the same names as in
 * {@link StreamingTrainerConfig}) and Kafka client settings, which pass through untouched (see
 * {@link KafkaClientSettings}). Validated in the constructor; a bad value fails with "Invalid value V for
 * configuration K: reason".
 */
public final class EmbedderConfig {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedderConfig.class);
    /** {@code npid.model.name}. */
    public static final String MODEL_NAME_CONFIG = StreamingTrainerConfig.MODEL_NAME_CONFIG;

    private static final String MODEL_NAME_DOC = "Name of the model whose checkpoints the embedder follows "
            + "(the key on the checkpoints topic). Default 'npid'.";
    /** {@code npid.embedder.group.id}. */
    public static final String GROUP_ID_CONFIG = "npid.embedder.group.id";

    private static final String GROUP_ID_DOC = "Consumer group of the embedder instances on the queries topic; "
            + "instances with the same group share the work. Default 'npid-embedder'.";
    /** {@code npid.knn.k} (was npid.embedder.default.k), the same key as the indexer's default k. */
    public static final String DEFAULT_K_CONFIG = "npid.knn.k";

    private static final String DEFAULT_K_DOC =
            "Neighbours to vote with when a query names none. Default 200, " + "1..100000.";
    /** {@code npid.embedder.max.batch.size}. */
    public static final String MAX_BATCH_SIZE_CONFIG = "npid.embedder.max.batch.size";

    private static final String MAX_BATCH_SIZE_DOC = "Largest number of query images embedded in one forward "
            + "pass; a poll returning more is split. Default 64, at least 1.";
    /** {@code npid.embedder.poll.timeout.ms}. */
    public static final String POLL_TIMEOUT_MS_CONFIG = "npid.embedder.poll.timeout.ms";

    private static final String POLL_TIMEOUT_MS_DOC =
            "How long one poll of the queries topic waits, in " + "milliseconds. Default 100, 1..60000.";
    /** {@code npid.embedder.no.model.timeout.ms}. */
    public static final String NO_MODEL_TIMEOUT_MS_CONFIG = "npid.embedder.no.model.timeout.ms";

    private static final String NO_MODEL_TIMEOUT_MS_DOC = "What to do while no model checkpoint has arrived: "
            + "0 (default) leaves queries unconsumed until one arrives; a positive value waits that many "
            + "milliseconds after start, then answers each query with an ERROR result (reason no-model) until "
            + "a model arrives.";
    /** {@code npid.embedder.max.queries.per.poll}. */
    public static final String MAX_POLL_RECORDS_CONFIG = "npid.embedder.max.queries.per.poll";

    private static final String MAX_POLL_RECORDS_DOC = "Largest number of queries taken by one poll (the "
            + "consumer's max.poll.records). Default 256, at least 1.";

    /** {@code npid.embedder.create.topics}. */
    public static final String CREATE_TOPICS_CONFIG = "npid.embedder.create.topics";

    private static final String CREATE_TOPICS_DOC = "Create the topics the embedder uses when they are missing (and "
            + "verify those that exist). Set false where the cluster's topics are managed elsewhere. Default true.";

    /** The prefix of the keys this process owns; an unknown key with it is a typo and fails fast. */
    public static final String PREFIX = "npid.embedder.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    MODEL_NAME_CONFIG,
                    Type.STRING,
                    "npid",
                    new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.LOW,
                    MODEL_NAME_DOC)
            .define(
                    GROUP_ID_CONFIG,
                    Type.STRING,
                    "npid-embedder",
                    new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.MEDIUM,
                    GROUP_ID_DOC)
            .define(DEFAULT_K_CONFIG, Type.INT, 200, Range.between(1, 100_000), Importance.MEDIUM, DEFAULT_K_DOC)
            .define(MAX_BATCH_SIZE_CONFIG, Type.INT, 64, Range.atLeast(1), Importance.MEDIUM, MAX_BATCH_SIZE_DOC)
            .define(
                    POLL_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    100L,
                    Range.between(1, 60_000),
                    Importance.LOW,
                    POLL_TIMEOUT_MS_DOC)
            .define(
                    NO_MODEL_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    0L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    NO_MODEL_TIMEOUT_MS_DOC)
            .define(MAX_POLL_RECORDS_CONFIG, Type.INT, 256, Range.atLeast(1), Importance.LOW, MAX_POLL_RECORDS_DOC)
            .define(CREATE_TOPICS_CONFIG, Type.BOOLEAN, true, Importance.LOW, CREATE_TOPICS_DOC)
            .define(
                    StreamingTrainerConfig.MAX_IMAGE_BYTES_CONFIG,
                    Type.INT,
                    ImageLimits.DEFAULTS.maxImageBytes(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Largest accepted encoded query image, in bytes; larger "
                            + "ones are answered ERROR (too-large). Default 8388608.")
            .define(
                    StreamingTrainerConfig.MAX_IMAGE_WIDTH_CONFIG,
                    Type.INT,
                    ImageLimits.DEFAULTS.maxWidth(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Largest accepted query image width. Default 4096.")
            .define(
                    StreamingTrainerConfig.MAX_IMAGE_HEIGHT_CONFIG,
                    Type.INT,
                    ImageLimits.DEFAULTS.maxHeight(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Largest accepted query image height. Default 4096.");

    private final AbstractConfig values;
    private final Topics topics;
    private final KafkaClientSettings clients;
    private final Map<String, String> effectiveSettings;

    /**
     * Validates a configuration.
     *
     * @param given the flat configuration map (values as strings or typed objects; old names read with a warning)
     * @throws ConfigException naming the key when a value is missing, malformed or out of range, or when an
     *     {@code npid.embedder.*} key is not one of this class's keys
     */
    public EmbedderConfig(final Map<String, ?> given) {
        final ConfigReader read = ConfigReader.read(CONFIG, given, PREFIX, "npid settings embedder", LOG::warn);
        final Map<String, ?> originals = read.settings();
        this.values = read.values();
        this.topics = Topics.fromConfig(originals);
        this.clients = KafkaClientSettings.from(originals);
        this.effectiveSettings = read.effective();
    }

    /**
     * Returns the settings this embedder runs with, for provenance: every key given, every declared key with its
     * value or default, every secret hidden. {@code npid embedder} prints them as one JSON line at start.
     *
     * @return a sorted, unmodifiable map of printable values
     */
    public Map<String, String> effectiveSettings() {
        return effectiveSettings;
    }

    /**
     * Returns the declared keys with their types, defaults and docs.
     *
     * @return a copy of the ConfigDef (for help output and docs)
     */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /**
     * Returns the topic registry ({@code npid.topic.prefix} and {@code npid.topic.partitions}, see {@link Topics}).
     *
     * @return the topics with their serdes
     */
    public Topics topics() {
        return topics;
    }

    /**
     * Returns the model name the embedder follows.
     *
     * @return the key of the ModelCheckpoint records to load
     */
    public String modelName() {
        return values.getString(MODEL_NAME_CONFIG);
    }

    /**
     * Returns the consumer group of the query consumers.
     *
     * @return the group id
     */
    public String groupId() {
        return values.getString(GROUP_ID_CONFIG);
    }

    /**
     * Returns the k given to queries that name none.
     *
     * @return the default number of neighbours
     */
    public int defaultK() {
        return values.getInt(DEFAULT_K_CONFIG);
    }

    /**
     * Returns the largest forward-pass batch.
     *
     * @return images per embedding call
     */
    public int maxBatchSize() {
        return values.getInt(MAX_BATCH_SIZE_CONFIG);
    }

    /**
     * Returns the poll timeout.
     *
     * @return milliseconds one poll waits
     */
    public long pollTimeoutMs() {
        return values.getLong(POLL_TIMEOUT_MS_CONFIG);
    }

    /**
     * Returns how long to wait for a first model before answering ERROR.
     *
     * @return milliseconds, 0 for waiting forever with the queries unconsumed
     */
    public long noModelTimeoutMs() {
        return values.getLong(NO_MODEL_TIMEOUT_MS_CONFIG);
    }

    /**
     * Returns the most queries one poll takes.
     *
     * @return the consumer's max.poll.records
     */
    public int maxQueriesPerPoll() {
        return values.getInt(MAX_POLL_RECORDS_CONFIG);
    }

    /**
     * Returns the limits a query image must respect.
     *
     * @return the image limits
     */
    public ImageLimits imageLimits() {
        return new ImageLimits(
                values.getInt(StreamingTrainerConfig.MAX_IMAGE_BYTES_CONFIG),
                values.getInt(StreamingTrainerConfig.MAX_IMAGE_WIDTH_CONFIG),
                values.getInt(StreamingTrainerConfig.MAX_IMAGE_HEIGHT_CONFIG));
    }

    /**
     * Tells whether the embedder creates missing topics.
     *
     * @return {@code npid.embedder.create.topics}
     */
    public boolean createTopics() {
        return values.getBoolean(CREATE_TOPICS_CONFIG);
    }

    /**
     * Returns the Kafka client settings passed through.
     *
     * @return the client settings
     */
    public KafkaClientSettings clients() {
        return clients;
    }

    @Override
    public String toString() {
        final Map<String, Object> shown = new TreeMap<>();
        CONFIG.names().forEach(name -> shown.put(name, values.values().get(name)));
        return "EmbedderConfig" + SecretMasker.masked(shown) + " " + clients;
    }
}
