package io.npid.trainer.stream;

import io.npid.schemas.Topics;
import io.npid.schemas.config.ConfigReader;
import io.npid.schemas.config.SecretMasker;
import io.npid.schemas.config.SettingNames;
import io.npid.store.StoreOptions;
import io.npid.trainer.data.ImageLimits;
import io.npid.trainer.data.ImageResizer;
import io.npid.trainer.train.TrainerConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.LoggerFactory;

/**
 * The immutable, validated configuration of the streaming trainer process.
 *
 * <p>Built from one flat map holding five kinds of keys: the {@code npid.trainer.*} and shared {@code npid.*}
 * keys declared here; the topic prefix and partitions, read by {@link Topics#fromConfig}; the learner's keys
 * (npid.backbone, npid.objective, npid.lr ..., read by the core's TrainerConfig, see {@link LearnerSettings});
 * the feature store's {@code store.*} tuning keys (see StoreOptions); and Kafka client settings, which pass
 * through untouched (see {@link KafkaClientSettings}). Everything is validated in the constructor, before any
 * thread, client or store opens; a bad value fails with "Invalid value V for configuration K: reason".
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
    /** {@code npid.trainer.ingest.threads}. */
    public static final String INGEST_THREADS_CONFIG = "npid.trainer.ingest.threads";
    private static final String INGEST_THREADS_DOC = "Threads that ingest while the training thread steps: each "
            + "consumes its share of the images and labels partitions, embeds new images with its own copy of the "
            + "latest weights, stores them and publishes their features, so new images are queryable within a "
            + "bounded time however busy training is. More than the partitions of the images topic adds nothing. "
            + "Default 1, 1..16.";
    /** {@code npid.trainer.train}. */
    public static final String TRAIN_CONFIG = "npid.trainer.train";
    private static final String TRAIN_DOC = "Take optimisation steps. false serves only: images are still ingested, "
            + "embedded by the current model and published to features, checkpoints stay as they are, and "
            + "trainingComplete() completes at start. Default true.";
    /** {@code npid.trainer.create.topics}. */
    public static final String CREATE_TOPICS_CONFIG = "npid.trainer.create.topics";
    private static final String CREATE_TOPICS_DOC = "Create the topics the trainer uses when they are missing (and "
            + "verify those that exist). Set false where the cluster's topics are managed elsewhere. Default true.";
    /** {@code npid.trainer.loader.wait.ms}. */
    public static final String LOADER_WAIT_MS_CONFIG = "npid.trainer.loader.wait.ms";
    private static final String LOADER_WAIT_MS_DOC = "How long the training thread waits for an augmented batch "
            + "before it polls Kafka again, in milliseconds. Default 50, 1..10000.";
    /** {@code npid.image.channels}. */
    public static final String IMAGE_CHANNELS_CONFIG = "npid.image.channels";
    private static final String IMAGE_CHANNELS_DOC = "Input channels of the model: 1 (grey) or 3 (RGB); images "
            + "with another channel count go to dead-letters as bad-channels. Default 1.";
    /** {@code npid.image.size}. */
    public static final String IMAGE_SIZE_CONFIG = "npid.image.size";
    private static final String IMAGE_SIZE_DOC = "Input side of the model in pixels (augmented crops and "
            + "embedded images are resized to it). Default 28, 8..1024.";
    /** {@code npid.image.store.size}. */
    public static final String IMAGE_STORE_SIZE_CONFIG = "npid.image.store.size";
    private static final String IMAGE_STORE_SIZE_DOC = "Longest shorter side, in pixels, of an image as the feature "
            + "store keeps it: larger images are shrunk (area averaging, aspect kept) when ingested, so a "
            + "4000x3000 photo costs a few kilobytes, not 36 MB. 0 = 8/7 of npid.image.size (32 for 28, 37 for "
            + "32), so random crops keep some detail. Default 0; otherwise at least npid.image.size.";
    /** {@code npid.image.max.bytes}, declared with the topics it sizes ({@link Topics#IMAGE_MAX_BYTES_CONFIG}). */
    public static final String MAX_IMAGE_BYTES_CONFIG = Topics.IMAGE_MAX_BYTES_CONFIG;
    private static final String MAX_IMAGE_BYTES_DOC = Topics.IMAGE_MAX_BYTES_DOC;
    /** {@code npid.image.max.width}. */
    public static final String MAX_IMAGE_WIDTH_CONFIG = "npid.image.max.width";
    private static final String MAX_IMAGE_WIDTH_DOC = "Largest accepted image width in pixels. Default 8192.";
    /** {@code npid.image.max.height}. */
    public static final String MAX_IMAGE_HEIGHT_CONFIG = "npid.image.max.height";
    private static final String MAX_IMAGE_HEIGHT_DOC = "Largest accepted image height in pixels. Default 8192.";

    /** The prefix of the keys this process owns; an unknown key with it is a typo and fails fast. */
    public static final String PREFIX = "npid.trainer.";

    static final ConfigDef.Validator GREY_OR_RGB = (name, value) -> {
        if (!Integer.valueOf(1).equals(value) && !Integer.valueOf(3).equals(value)) {
            throw new ConfigException(name, value, "must be 1 (grey) or 3 (RGB)");
        }
    };

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
            .define(INGEST_THREADS_CONFIG, Type.INT, 1, Range.between(1, 16), Importance.LOW,
                    INGEST_THREADS_DOC)
            .define(TRAIN_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, TRAIN_DOC)
            .define(CREATE_TOPICS_CONFIG, Type.BOOLEAN, true, Importance.LOW, CREATE_TOPICS_DOC)
            .define(LOADER_WAIT_MS_CONFIG, Type.LONG, 50L, Range.between(1, 10_000), Importance.LOW,
                    LOADER_WAIT_MS_DOC)
            .define(IMAGE_CHANNELS_CONFIG, Type.INT, 1, GREY_OR_RGB, Importance.HIGH, IMAGE_CHANNELS_DOC)
            .define(IMAGE_SIZE_CONFIG, Type.INT, 28, Range.between(8, 1024), Importance.HIGH, IMAGE_SIZE_DOC)
            .define(IMAGE_STORE_SIZE_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
                    IMAGE_STORE_SIZE_DOC)
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
    private final StoreOptions storeOptions;
    private final Map<String, String> effectiveSettings;

    /**
     * Validates a configuration.
     *
     * @param given the flat configuration map (values as strings or typed objects; old names of renamed settings
     *     are read with a warning, see RenamedSettings)
     * @throws ConfigException naming the key when a value is missing, malformed or out of range, or when an
     *     {@code npid.trainer.*} key is not one of this class's keys
     */
    public StreamingTrainerConfig(final Map<String, ?> given) {
        // read as every npid config is: renames, unknown npid.trainer.* keys refused, declared keys parsed
        final ConfigReader reader = ConfigReader.read(CONFIG, given, PREFIX, "npid settings",
                LoggerFactory.getLogger(StreamingTrainerConfig.class)::warn);
        final Map<String, ?> originals = reader.settings();
        this.values = reader.values();
        this.topics = Topics.fromConfig(originals);
        this.clients = KafkaClientSettings.from(originals);
        this.learner = LearnerSettings.from(originals, epochs(), values.getInt(IMAGE_CHANNELS_CONFIG),
                values.getInt(IMAGE_SIZE_CONFIG));
        final int storeSize = values.getInt(IMAGE_STORE_SIZE_CONFIG);
        if (storeSize != 0 && storeSize < learner.imageSize()) {
            throw new ConfigException(IMAGE_STORE_SIZE_CONFIG, storeSize, "must be 0 (automatic) or at least "
                    + IMAGE_SIZE_CONFIG + " (" + learner.imageSize() + "); try " + storedImageSide(learner.imageSize(),
                    0));
        }
        final Map<String, Object> store = new HashMap<>();
        originals.forEach((key, value) -> {
            if (key.startsWith("store.")) {
                store.put(key, value);
            }
        });
        // The bank's dimension is the learner's embedding size, npid.low.dim (store.dimension was renamed to it).
        store.put(StoreOptions.DIMENSION_CONFIG, learner.trainer().lowDim());
        // npid.bank.dtype=float16 halves the stored rows too, unless store.bank.dtype says otherwise
        if (learner.trainer().bankHalfPrecision()) {
            store.putIfAbsent(StoreOptions.BANK_DTYPE_CONFIG, "float16");
        }
        this.storeOptions = StoreOptions.fromMap(store);
        this.effectiveSettings = effective(originals, store);
    }

    /** Everything given, then every declared key with its value or default; secrets hidden. */
    private Map<String, String> effective(final Map<String, ?> originals, final Map<String, Object> store) {
        final Map<String, Object> all = new TreeMap<>(originals);
        CONFIG.names().forEach(name -> all.put(name, values.values().get(name)));
        all.putAll(learner.trainer().toMap());
        StoreOptions.configDef().configKeys().forEach((name, key) -> all.put(name, store.containsKey(name)
                ? store.get(name) : key.defaultValue));
        final Map<String, String> out = new TreeMap<>();
        SecretMasker.masked(all).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Fails on a key in a process's own namespace that the process does not declare (a typo would otherwise be
     * silently ignored).
     *
     * @param originals the configuration
     * @param prefix the process's key prefix, e.g. {@code npid.trainer.}
     * @param known the declared keys
     * @throws ConfigException naming the unknown key
     */
    public static void rejectUnknownKeys(final Map<String, ?> originals, final String prefix,
                                         final Set<String> known) {
        SettingNames.requireKnown(originals, List.of(prefix), known, "npid settings");
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
     * Returns the model name.
     *
     * @return the key of the ModelCheckpoint records
     */
    public String modelName() {
        return values.getString(MODEL_NAME_CONFIG);
    }

    /**
     * Returns the trainer's state directory.
     *
     * @return {@code npid.trainer.data.dir}
     */
    public Path dataDir() {
        return Path.of(values.getString(DATA_DIR_CONFIG));
    }

    /**
     * Returns the live feature store's directory.
     *
     * @return {@code dataDir/store}
     */
    public Path storeDir() {
        return dataDir().resolve("store");
    }

    /**
     * Returns the checkpoints' directory.
     *
     * @return {@code dataDir/checkpoints}
     */
    public Path checkpointDir() {
        return dataDir().resolve("checkpoints");
    }

    /**
     * Returns the epochs to train before training stops.
     *
     * @return the epoch count, 0 for endless
     */
    public int epochs() {
        return values.getInt(EPOCHS_CONFIG);
    }

    /**
     * Returns the steps between checkpoints.
     *
     * @return steps, 0 when the step trigger is off
     */
    public long checkpointIntervalSteps() {
        return values.getLong(CHECKPOINT_INTERVAL_STEPS_CONFIG);
    }

    /**
     * Returns the time between checkpoints.
     *
     * @return milliseconds, 0 when the time trigger is off
     */
    public long checkpointIntervalMs() {
        return values.getLong(CHECKPOINT_INTERVAL_MS_CONFIG);
    }

    /**
     * Returns how many checkpoint versions are kept.
     *
     * @return at least 1
     */
    public int checkpointKeep() {
        return values.getInt(CHECKPOINT_KEEP_CONFIG);
    }

    /**
     * Returns the minimum time between two publications of one row.
     *
     * @return milliseconds, 0 for after every step
     */
    public long publishIntervalMs() {
        return values.getLong(PUBLISH_INTERVAL_MS_CONFIG);
    }

    /**
     * Returns how long an idle poll waits.
     *
     * @return milliseconds
     */
    public long pollTimeoutMs() {
        return values.getLong(POLL_TIMEOUT_MS_CONFIG);
    }

    /**
     * Returns the time between progress reports.
     *
     * @return milliseconds
     */
    public long progressIntervalMs() {
        return values.getLong(PROGRESS_INTERVAL_MS_CONFIG);
    }

    /**
     * Tells whether every row is published when the trainer starts.
     *
     * @return {@code npid.trainer.republish.on.start}
     */
    public boolean republishOnStart() {
        return values.getBoolean(REPUBLISH_ON_START_CONFIG);
    }

    /**
     * Returns the largest batch embedded at ingest.
     *
     * @return images per forward pass
     */
    public int embedBatchSize() {
        return values.getInt(EMBED_BATCH_SIZE_CONFIG);
    }

    /** @return {@value #INGEST_THREADS_CONFIG}: threads that ingest beside the training thread */
    public int ingestThreads() {
        return values.getInt(INGEST_THREADS_CONFIG);
    }

    /**
     * Returns the longest shorter side of a stored image.
     *
     * @return {@code npid.image.store.size}, or 8/7 of the input size when it is 0
     */
    public int storedImageSide() {
        return storedImageSide(learner.imageSize(), values.getInt(IMAGE_STORE_SIZE_CONFIG));
    }

    private static int storedImageSide(final int inputSize, final int configured) {
        return configured > 0 ? configured : ImageResizer.defaultStoredSide(inputSize);
    }

    /**
     * Returns the limits an ingested image must respect.
     *
     * @return the image limits
     */
    public ImageLimits imageLimits() {
        return new ImageLimits(values.getInt(MAX_IMAGE_BYTES_CONFIG), values.getInt(MAX_IMAGE_WIDTH_CONFIG),
                values.getInt(MAX_IMAGE_HEIGHT_CONFIG));
    }

    /**
     * Tells whether the trainer takes optimisation steps (false: serve-only).
     *
     * @return {@code npid.trainer.train}
     */
    public boolean train() {
        return values.getBoolean(TRAIN_CONFIG);
    }

    /**
     * Tells whether the trainer creates missing topics.
     *
     * @return {@code npid.trainer.create.topics}
     */
    public boolean createTopics() {
        return values.getBoolean(CREATE_TOPICS_CONFIG);
    }

    /**
     * Returns how long the training thread waits for a batch.
     *
     * @return milliseconds
     */
    public long loaderWaitMs() {
        return values.getLong(LOADER_WAIT_MS_CONFIG);
    }

    /**
     * Returns the feature store's options ({@code store.*} keys, dimension from {@code npid.low.dim}).
     *
     * @return the store options
     */
    public StoreOptions storeOptions() {
        return storeOptions;
    }

    /**
     * Returns the Kafka client settings passed through.
     *
     * @return the client settings
     */
    public KafkaClientSettings clients() {
        return clients;
    }

    /**
     * Returns the learner's settings.
     *
     * @return the TrainerConfig and the model's input shape
     */
    public LearnerSettings learner() {
        return learner;
    }

    /**
     * Returns the settings this trainer runs with, for provenance: every key given (Kafka client settings
     * included), every declared trainer, learner and store key with its effective value (defaults filled in), and
     * every secret replaced by {@link SecretMasker#HIDDEN}. Written into each checkpoint's metadata.
     *
     * @return a sorted, unmodifiable map of printable values
     */
    public Map<String, String> effectiveSettings() {
        return effectiveSettings;
    }

    @Override
    public String toString() {
        final Map<String, Object> shown = new TreeMap<>();
        CONFIG.names().forEach(name -> shown.put(name, values.values().get(name)));
        // On a stream npid.trainer.epochs (--epochs) is the one epoch bound; the offline npid.epochs only sets how
        // long a cosine schedule lasts, so the line shows it there, not as a second, contradicting bound.
        final Map<String, String> learnerShown = new TreeMap<>(learner.trainer().toMap());
        learnerShown.remove(TrainerConfig.EPOCHS_CONFIG);
        if ("cosine".equals(learner.trainer().lrSchedule())) {
            learnerShown.put(TrainerConfig.LR_SCHEDULE_CONFIG, "cosine over " + learner.trainer().epochs()
                    + " epochs");
        }
        return "StreamingTrainerConfig" + SecretMasker.masked(shown) + " topics=" + topics.prefix() + "* learner"
                + learnerShown + " " + clients;
    }
}
