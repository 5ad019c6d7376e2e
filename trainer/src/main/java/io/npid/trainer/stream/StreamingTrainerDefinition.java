package io.npid.trainer.stream;

import static io.npid.trainer.stream.StreamingTrainerKeys.*;

import io.npid.schemas.Topics;
import io.npid.trainer.data.ImageLimits;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The declaration of the streaming trainer's own settings: type, default, validator, importance and doc of each. */
final class StreamingTrainerDefinition {
    private static final String MODEL_NAME_DOC =
            "Name of the model: the key of its records on the checkpoints " + "topic. Default 'npid'.";
    private static final String DATA_DIR_DOC = "Directory of the trainer's state: the feature store in 'store/' "
            + "and the checkpoints in 'checkpoints/'. Required.";
    private static final String EPOCHS_DOC = "Epochs to train before training stops (ingest and serving go on); "
            + "0 trains forever. Default 0, at least 0.";
    private static final String CHECKPOINT_INTERVAL_STEPS_DOC =
            "Steps between two checkpoints; 0 disables the " + "step trigger. Default 1000, at least 0.";
    private static final String CHECKPOINT_INTERVAL_MS_DOC = "Milliseconds between two checkpoints (taken only "
            + "when the step moved); 0 disables the time trigger. Default 300000, at least 0.";
    private static final String CHECKPOINT_KEEP_DOC = "Checkpoint versions kept on disk. Default 2, at least 1.";
    private static final String PUBLISH_INTERVAL_MS_DOC = "Minimum milliseconds between two FeatureEvents of "
            + "the same bank row (the latest value wins); 0 publishes after every step. Default 1000, at least 0.";
    private static final String POLL_TIMEOUT_MS_DOC = "How long a poll waits for records when there is nothing "
            + "to train on, in milliseconds. Default 200, 1..60000.";
    private static final String PROGRESS_INTERVAL_MS_DOC =
            "Milliseconds between two progress reports (log line " + "and listener call). Default 10000, at least 100.";
    private static final String REPUBLISH_ON_START_DOC = "Publish every bank row to the features topic when the "
            + "trainer starts, so that rows whose last update was pending at a crash reach the topic. Default true.";
    private static final String EMBED_BATCH_SIZE_DOC =
            "Largest number of newly ingested images embedded in " + "one forward pass. Default 256, at least 1.";
    private static final String INGEST_THREADS_DOC = "Threads that ingest while the training thread steps: each "
            + "consumes its share of the images and labels partitions, embeds new images with its own copy of the "
            + "latest weights, stores them and publishes their features, so new images are queryable within a "
            + "bounded time however busy training is. More than the partitions of the images topic adds nothing. "
            + "Default 1, 1..16.";
    private static final String TRAIN_DOC = "Take optimisation steps. false serves only: images are still ingested, "
            + "embedded by the current model and published to features, checkpoints stay as they are, and "
            + "trainingComplete() completes at start. Default true.";
    private static final String CREATE_TOPICS_DOC = "Create the topics the trainer uses when they are missing (and "
            + "verify those that exist). Set false where the cluster's topics are managed elsewhere. Default true.";
    private static final String LOADER_WAIT_MS_DOC = "How long the training thread waits for an augmented batch "
            + "before it polls Kafka again, in milliseconds. Default 50, 1..10000.";
    private static final String IMAGE_CHANNELS_DOC = "Input channels of the model: 1 (grey) or 3 (RGB); images "
            + "with another channel count go to dead-letters as bad-channels. Default 1.";
    private static final String IMAGE_SIZE_DOC = "Input side of the model in pixels (augmented crops and "
            + "embedded images are resized to it). Default 28, 8..1024.";
    private static final String IMAGE_STORE_SIZE_DOC = "Longest shorter side, in pixels, of an image as the feature "
            + "store keeps it: larger images are shrunk (area averaging, aspect kept) when ingested, so a "
            + "4000x3000 photo costs a few kilobytes, not 36 MB. 0 = 8/7 of npid.image.size (32 for 28, 37 for "
            + "32), so random crops keep some detail. Default 0; otherwise at least npid.image.size.";
    private static final String MAX_IMAGE_BYTES_DOC = Topics.IMAGE_MAX_BYTES_DOC;
    private static final String MAX_IMAGE_WIDTH_DOC = "Largest accepted image width in pixels. Default 8192.";
    private static final String MAX_IMAGE_HEIGHT_DOC = "Largest accepted image height in pixels. Default 8192.";
    static final ConfigDef.Validator GREY_OR_RGB = (name, value) -> {
        if (!Integer.valueOf(1).equals(value) && !Integer.valueOf(3).equals(value)) {
            throw new ConfigException(name, value, "must be 1 (grey) or 3 (RGB)");
        }
    };
    static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    MODEL_NAME_CONFIG,
                    Type.STRING,
                    "npid",
                    new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.LOW,
                    MODEL_NAME_DOC)
            .define(
                    DATA_DIR_CONFIG,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    DATA_DIR_DOC)
            .define(EPOCHS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.HIGH, EPOCHS_DOC)
            .define(
                    CHECKPOINT_INTERVAL_STEPS_CONFIG,
                    Type.LONG,
                    1000L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    CHECKPOINT_INTERVAL_STEPS_DOC)
            .define(
                    CHECKPOINT_INTERVAL_MS_CONFIG,
                    Type.LONG,
                    300_000L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    CHECKPOINT_INTERVAL_MS_DOC)
            .define(CHECKPOINT_KEEP_CONFIG, Type.INT, 2, Range.atLeast(1), Importance.LOW, CHECKPOINT_KEEP_DOC)
            .define(
                    PUBLISH_INTERVAL_MS_CONFIG,
                    Type.LONG,
                    1000L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    PUBLISH_INTERVAL_MS_DOC)
            .define(
                    POLL_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    200L,
                    Range.between(1, 60_000),
                    Importance.LOW,
                    POLL_TIMEOUT_MS_DOC)
            .define(
                    PROGRESS_INTERVAL_MS_CONFIG,
                    Type.LONG,
                    10_000L,
                    Range.atLeast(100),
                    Importance.LOW,
                    PROGRESS_INTERVAL_MS_DOC)
            .define(REPUBLISH_ON_START_CONFIG, Type.BOOLEAN, true, Importance.LOW, REPUBLISH_ON_START_DOC)
            .define(EMBED_BATCH_SIZE_CONFIG, Type.INT, 256, Range.atLeast(1), Importance.LOW, EMBED_BATCH_SIZE_DOC)
            .define(INGEST_THREADS_CONFIG, Type.INT, 1, Range.between(1, 16), Importance.LOW, INGEST_THREADS_DOC)
            .define(TRAIN_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, TRAIN_DOC)
            .define(CREATE_TOPICS_CONFIG, Type.BOOLEAN, true, Importance.LOW, CREATE_TOPICS_DOC)
            .define(LOADER_WAIT_MS_CONFIG, Type.LONG, 50L, Range.between(1, 10_000), Importance.LOW, LOADER_WAIT_MS_DOC)
            .define(IMAGE_CHANNELS_CONFIG, Type.INT, 1, GREY_OR_RGB, Importance.HIGH, IMAGE_CHANNELS_DOC)
            .define(IMAGE_SIZE_CONFIG, Type.INT, 28, Range.between(8, 1024), Importance.HIGH, IMAGE_SIZE_DOC)
            .define(IMAGE_STORE_SIZE_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM, IMAGE_STORE_SIZE_DOC)
            .define(
                    MAX_IMAGE_BYTES_CONFIG,
                    Type.INT,
                    ImageLimits.DEFAULTS.maxImageBytes(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    MAX_IMAGE_BYTES_DOC)
            .define(
                    MAX_IMAGE_WIDTH_CONFIG,
                    Type.INT,
                    ImageLimits.DEFAULTS.maxWidth(),
                    Range.atLeast(1),
                    Importance.LOW,
                    MAX_IMAGE_WIDTH_DOC)
            .define(
                    MAX_IMAGE_HEIGHT_CONFIG,
                    Type.INT,
                    ImageLimits.DEFAULTS.maxHeight(),
                    Range.atLeast(1),
                    Importance.LOW,
                    MAX_IMAGE_HEIGHT_DOC);

    private StreamingTrainerDefinition() {}
}
