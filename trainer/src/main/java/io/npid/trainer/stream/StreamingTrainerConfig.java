package io.npid.trainer.stream;

import io.npid.schemas.Topics;
import io.npid.schemas.config.ConfigReader;
import io.npid.schemas.config.SecretMasker;
import io.npid.store.StoreOptions;
import io.npid.trainer.data.ImageLimits;
import io.npid.trainer.data.ImageResizer;
import io.npid.trainer.train.TrainerConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
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
public final class StreamingTrainerConfig implements StreamingTrainerKeys {
    private static final ConfigDef CONFIG = StreamingTrainerDefinition.CONFIG;

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
        final ConfigReader reader = ConfigReader.read(
                CONFIG, given, PREFIX, "npid settings", LoggerFactory.getLogger(StreamingTrainerConfig.class)::warn);
        final Map<String, ?> originals = reader.settings();
        this.values = reader.values();
        this.topics = Topics.fromConfig(originals);
        this.clients = KafkaClientSettings.from(originals);
        this.learner = LearnerSettings.from(
                originals, epochs(), values.getInt(IMAGE_CHANNELS_CONFIG), values.getInt(IMAGE_SIZE_CONFIG));
        final int storeSize = values.getInt(IMAGE_STORE_SIZE_CONFIG);
        if (storeSize != 0 && storeSize < learner.imageSize()) {
            throw new ConfigException(
                    IMAGE_STORE_SIZE_CONFIG,
                    storeSize,
                    "must be 0 (automatic) or at least "
                            + IMAGE_SIZE_CONFIG + " (" + learner.imageSize() + "); try "
                            + storedImageSide(learner.imageSize(), 0));
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
        StoreOptions.configDef()
                .configKeys()
                .forEach((name, key) -> all.put(name, store.containsKey(name) ? store.get(name) : key.defaultValue));
        final Map<String, String> out = new TreeMap<>();
        SecretMasker.masked(all).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return Collections.unmodifiableMap(out);
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

    /** @return the model name: the key of the ModelCheckpoint records */
    public String modelName() {
        return values.getString(MODEL_NAME_CONFIG);
    }

    /** @return the trainer's state directory: {@code npid.trainer.data.dir} */
    public Path dataDir() {
        return Path.of(values.getString(DATA_DIR_CONFIG));
    }

    /** @return the live feature store's directory: {@code dataDir/store} */
    public Path storeDir() {
        return dataDir().resolve("store");
    }

    /** @return the checkpoints' directory: {@code dataDir/checkpoints} */
    public Path checkpointDir() {
        return dataDir().resolve("checkpoints");
    }

    /** @return the epochs to train before training stops: the epoch count, 0 for endless */
    public int epochs() {
        return values.getInt(EPOCHS_CONFIG);
    }

    /** @return the steps between checkpoints: steps, 0 when the step trigger is off */
    public long checkpointIntervalSteps() {
        return values.getLong(CHECKPOINT_INTERVAL_STEPS_CONFIG);
    }

    /** @return the time between checkpoints: milliseconds, 0 when the time trigger is off */
    public long checkpointIntervalMs() {
        return values.getLong(CHECKPOINT_INTERVAL_MS_CONFIG);
    }

    /** @return how many checkpoint versions are kept: at least 1 */
    public int checkpointKeep() {
        return values.getInt(CHECKPOINT_KEEP_CONFIG);
    }

    /** @return the minimum time between two publications of one row: milliseconds, 0 for after every step */
    public long publishIntervalMs() {
        return values.getLong(PUBLISH_INTERVAL_MS_CONFIG);
    }

    /** @return how long an idle poll waits: milliseconds */
    public long pollTimeoutMs() {
        return values.getLong(POLL_TIMEOUT_MS_CONFIG);
    }

    /** @return the time between progress reports: milliseconds */
    public long progressIntervalMs() {
        return values.getLong(PROGRESS_INTERVAL_MS_CONFIG);
    }

    /** @return whether every row is published when the trainer starts: {@code npid.trainer.republish.on.start} */
    public boolean republishOnStart() {
        return values.getBoolean(REPUBLISH_ON_START_CONFIG);
    }

    /** @return the largest batch embedded at ingest: images per forward pass */
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

    /** @return the limits an ingested image must respect: the image limits */
    public ImageLimits imageLimits() {
        return new ImageLimits(
                values.getInt(MAX_IMAGE_BYTES_CONFIG),
                values.getInt(MAX_IMAGE_WIDTH_CONFIG),
                values.getInt(MAX_IMAGE_HEIGHT_CONFIG));
    }

    /** @return whether the trainer takes optimisation steps (false: serve-only): {@code npid.trainer.train} */
    public boolean train() {
        return values.getBoolean(TRAIN_CONFIG);
    }

    /** @return whether the trainer creates missing topics: {@code npid.trainer.create.topics} */
    public boolean createTopics() {
        return values.getBoolean(CREATE_TOPICS_CONFIG);
    }

    /** @return how long the training thread waits for a batch: milliseconds */
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

    /** @return the Kafka client settings passed through: the client settings */
    public KafkaClientSettings clients() {
        return clients;
    }

    /** @return the learner's settings: the TrainerConfig and the model's input shape */
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
            learnerShown.put(
                    TrainerConfig.LR_SCHEDULE_CONFIG,
                    "cosine over " + learner.trainer().epochs() + " epochs");
        }
        return "StreamingTrainerConfig" + SecretMasker.masked(shown) + " topics=" + topics.prefix() + "* learner"
                + learnerShown + " " + clients;
    }
}
