package io.npid.trainer.stream;

import io.npid.schemas.Topics;
import io.npid.trainer.data.ImageLimits;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The immutable, validated configuration of the streaming trainer process.
 *
 * <p>Built from one flat map holding three kinds of keys: the {@code npid.trainer.*} and shared {@code npid.*}
 * keys declared here (the topic prefix and partitions are read by {@link Topics#fromConfig}); the learner's keys (backbone, objective, learning rate ... see {@link LearnerSettings});
 * and Kafka client settings, which pass through untouched (see {@link KafkaClientSettings}). Everything is
 * validated in the constructor, before any thread, client or store opens; a bad value fails with
 * "Invalid value V for configuration K: reason".
 */
public final class StreamingTrainerConfig {
    /** {@code npid.model.name}. */
    public static final String MODEL_NAME_CONFIG = "npid.model.name";
    private static final String MODEL_NAME_DOC = "Name of the model: the key of its records on the checkpoints "
            + "topic. Default 'npid'.";
    /** {@code npid.trainer.data.dir}. */
    public static final String DATA_DIR_CONFIG = "npid.trainer.data.dir";
    private static final String DATA_DIR_DOC = "Directory of the trainer's state: the feature store in 'store/' "
            + "and the checkpoints in 'checkpoints/'. Required.";
    /** {@code npid.trainer.epochs}. */
    public static final String EPOCHS_CONFIG = "npid.trainer.epochs";
    private static final String EPOCHS_DOC = "Epochs to train before training stops (ingest and serving go on); "
            + "0 trains forever. Default 0, at least 0.";
    /** {@code npid.trainer.checkpoint.interval.steps}. */
    public static final String CHECKPOINT_INTERVAL_STEPS_CONFIG = "npid.trainer.checkpoint.interval.steps";
    private static final String CHECKPOINT_INTERVAL_STEPS_DOC = "Steps between two checkpoints; 0 disables the "
            + "step trigger. Default 1000, at least 0.";
    /** {@code npid.trainer.checkpoint.interval.ms}. */
    public static final String CHECKPOINT_INTERVAL_MS_CONFIG = "npid.trainer.checkpoint.interval.ms";
    private static final String CHECKPOINT_INTERVAL_MS_DOC = "Milliseconds between two checkpoints (taken only "
            + "when the step moved); 0 disables the time trigger. Default 300000, at least 0.";
    /** {@code npid.trainer.checkpoint.keep}. */
    public static final String CHECKPOINT_KEEP_CONFIG = "npid.trainer.checkpoint.keep";
    private static final String CHECKPOINT_KEEP_DOC = "Checkpoint versions kept on disk. Default 2, at least 1.";
    /** {@code npid.trainer.publish.interval.ms}. */
    public static final String PUBLISH_INTERVAL_MS_CONFIG = "npid.trainer.publish.interval.ms";
    private static final String PUBLISH_INTERVAL_MS_DOC = "Minimum milliseconds between two FeatureEvents of "
            + "the same bank row (the latest value wins); 0 publishes after every step. Default 1000, at least 0.";
    /** {@code npid.trainer.poll.timeout.ms}. */
    public static final String POLL_TIMEOUT_MS_CONFIG = "npid.trainer.poll.timeout.ms";
    private static final String POLL_TIMEOUT_MS_DOC = "How long a poll waits for records when there is nothing "
            + "to train on, in milliseconds. Default 200, 1..60000.";
    /** {@code npid.trainer.progress.interval.ms}. */
    public static final String PROGRESS_INTERVAL_MS_CONFIG = "npid.trainer.progress.interval.ms";
    private static final String PROGRESS_INTERVAL_MS_DOC = "Milliseconds between two progress reports (log line "
            + "and listener call). Default 10000, at least 100.";
    /** {@code npid.trainer.republish.on.start}. */
    public static final String REPUBLISH_ON_START_CONFIG = "npid.trainer.republish.on.start";
    private static final String REPUBLISH_ON_START_DOC = "Publish every bank row to the features topic when the "
            + "trainer starts, so that rows whose last update was pending at a crash reach the topic. Default true.";
    /** {@code npid.trainer.embed.batch.size}. */
    public static final String EMBED_BATCH_SIZE_CONFIG = "npid.trainer.embed.batch.size";
    private static final String EMBED_BATCH_SIZE_DOC = "Largest number of newly ingested images embedded in "
            + "one forward pass. Default 256, at least 1.";
    /** {@code npid.image.max.bytes}. */
    public static final String MAX_IMAGE_BYTES_CONFIG = "npid.image.max.bytes";
    private static final String MAX_IMAGE_BYTES_DOC = "Largest accepted encoded image, in bytes; larger ones go "
            + "to dead-letters as too-large. Default 8388608, at least 1.";
    /** {@code npid.image.max.width}. */
    public static final String MAX_IMAGE_WIDTH_CONFIG = "npid.image.max.width";
    private static final String MAX_IMAGE_WIDTH_DOC = "Largest accepted image width in pixels. Default 4096.";
    /** {@code npid.image.max.height}. */
    public static final String MAX_IMAGE_HEIGHT_CONFIG = "npid.image.max.height";
    private static final String MAX_IMAGE_HEIGHT_DOC = "Largest accepted image height in pixels. Default 4096.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(MODEL_NAME_CONFIG, Type.STRING, "npid", new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.LOW, MODEL_NAME_DOC)
            .define(DATA_DIR_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, DATA_DIR_DOC)
            .define(EPOCHS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.HIGH, EPOCHS_DOC)
            .define(CHECKPOINT_INTERVAL_STEPS_CONFIG, Type.LONG, 1000L, Range.atLeast(0), Importance.MEDIUM,
                    CHECKPOINT_INTERVAL_STEPS_DOC)
            .define(CHECKPOINT_INTERVAL_MS_CONFIG, Type.LONG, 300_000L, Range.atLeast(0), Importance.MEDIUM,
                    CHECKPOINT_INTERVAL_MS_DOC)
            .define(CHECKPOINT_KEEP_CONFIG, Type.INT, 2, Range.atLeast(1), Importance.LOW, CHECKPOINT_KEEP_DOC)
            .define(PUBLISH_INTERVAL_MS_CONFIG, Type.LONG, 1000L, Range.atLeast(0), Importance.MEDIUM,
                    PUBLISH_INTERVAL_MS_DOC)
            .define(POLL_TIMEOUT_MS_CONFIG, Type.LONG, 200L, Range.between(1, 60_000), Importance.LOW,
                    POLL_TIMEOUT_MS_DOC)
            .define(PROGRESS_INTERVAL_MS_CONFIG, Type.LONG, 10_000L, Range.atLeast(100), Importance.LOW,
                    PROGRESS_INTERVAL_MS_DOC)
            .define(REPUBLISH_ON_START_CONFIG, Type.BOOLEAN, true, Importance.LOW, REPUBLISH_ON_START_DOC)
            .define(EMBED_BATCH_SIZE_CONFIG, Type.INT, 256, Range.atLeast(1), Importance.LOW, EMBED_BATCH_SIZE_DOC)
            .define(MAX_IMAGE_BYTES_CONFIG, Type.INT, ImageLimits.DEFAULTS.maxImageBytes(), Range.atLeast(1),
                    Importance.MEDIUM, MAX_IMAGE_BYTES_DOC)
            .define(MAX_IMAGE_WIDTH_CONFIG, Type.INT, ImageLimits.DEFAULTS.maxWidth(), Range.atLeast(1),
                    Importance.LOW, MAX_IMAGE_WIDTH_DOC)
            .define(MAX_IMAGE_HEIGHT_CONFIG, Type.INT, ImageLimits.DEFAULTS.maxHeight(), Range.atLeast(1),
                    Importance.LOW, MAX_IMAGE_HEIGHT_DOC);

    private final AbstractConfig values;
    private final Topics topics;
    private final KafkaClientSettings clients;
    private final LearnerSettings learner;

    /**
     * Validates a configuration.
     *
     * @param originals the flat configuration map (values as strings or typed objects)
     * @throws ConfigException naming the key when a value is missing, malformed or out of range
     */
    public StreamingTrainerConfig(final Map<String, ?> originals) {
        this.values = new AbstractConfig(CONFIG, originals, false);
        this.topics = Topics.fromConfig(originals);
        this.clients = KafkaClientSettings.from(originals);
        this.learner = LearnerSettings.from(originals, CONFIG.names());
    }

    /**
     * Returns the declared npid keys with their types, defaults and docs.
     *
     * @return the ConfigDef (for help output and docs)
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

    /** @return the model name, the key of ModelCheckpoint records */
    public String modelName() {
        return values.getString(MODEL_NAME_CONFIG);
    }

    /** @return the trainer's state directory */
    public Path dataDir() {
        return Path.of(values.getString(DATA_DIR_CONFIG));
    }

    /** @return the live feature store's directory, {@code dataDir/store} */
    public Path storeDir() {
        return dataDir().resolve("store");
    }

    /** @return the checkpoints' directory, {@code dataDir/checkpoints} */
    public Path checkpointDir() {
        return dataDir().resolve("checkpoints");
    }

    /** @return epochs to train, 0 for endless */
    public int epochs() {
        return values.getInt(EPOCHS_CONFIG);
    }

    /** @return steps between checkpoints, 0 when disabled */
    public long checkpointIntervalSteps() {
        return values.getLong(CHECKPOINT_INTERVAL_STEPS_CONFIG);
    }

    /** @return milliseconds between checkpoints, 0 when disabled */
    public long checkpointIntervalMs() {
        return values.getLong(CHECKPOINT_INTERVAL_MS_CONFIG);
    }

    /** @return checkpoint versions kept */
    public int checkpointKeep() {
        return values.getInt(CHECKPOINT_KEEP_CONFIG);
    }

    /** @return minimum milliseconds between two publications of a row */
    public long publishIntervalMs() {
        return values.getLong(PUBLISH_INTERVAL_MS_CONFIG);
    }

    /** @return the idle poll timeout in milliseconds */
    public long pollTimeoutMs() {
        return values.getLong(POLL_TIMEOUT_MS_CONFIG);
    }

    /** @return milliseconds between progress reports */
    public long progressIntervalMs() {
        return values.getLong(PROGRESS_INTERVAL_MS_CONFIG);
    }

    /** @return whether every row is published at start */
    public boolean republishOnStart() {
        return values.getBoolean(REPUBLISH_ON_START_CONFIG);
    }

    /** @return the largest embedding batch at ingest */
    public int embedBatchSize() {
        return values.getInt(EMBED_BATCH_SIZE_CONFIG);
    }

    /** @return the limits an ingested image must respect */
    public ImageLimits imageLimits() {
        return new ImageLimits(values.getInt(MAX_IMAGE_BYTES_CONFIG), values.getInt(MAX_IMAGE_WIDTH_CONFIG),
                values.getInt(MAX_IMAGE_HEIGHT_CONFIG));
    }

    /** @return the Kafka client settings passed through */
    public KafkaClientSettings clients() {
        return clients;
    }

    /** @return the learner's settings */
    public LearnerSettings learner() {
        return learner;
    }

    @Override
    public String toString() {
        final Map<String, Object> shown = new TreeMap<>();
        CONFIG.names().forEach(name -> shown.put(name, values.values().get(name)));
        return "StreamingTrainerConfig" + shown + " learner=" + learner + " " + clients;
    }

    /**
     * Returns a copy of a map with one key changed, a convenience for tests and tools.
     *
     * @param originals a configuration map
     * @param key the key to set
     * @param value its new value
     * @return a new map
     */
    public static Map<String, Object> with(final Map<String, ?> originals, final String key, final Object value) {
        final Map<String, Object> copy = new HashMap<>(originals);
        copy.put(key, value);
        return copy;
    }
}
