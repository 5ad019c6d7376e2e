package io.npid.deploy.local;

import io.npid.schemas.config.ConfigReader;
import io.npid.trainer.model.Backbones;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * What {@code npid local} runs; immutable and validated.
 *
 * @param data the data set folder (IDX, CIFAR-10 or class folders), or null for the default
 * @param synthetic use the built-in synthetic set whatever is installed
 * @param epochs epochs to train before the queries are streamed, at least 1
 * @param trainLimit training images to ingest (from the start of the training split), at least 10
 * @param queries test images to stream as queries, at least 1
 * @param backbone small or resnet18
 * @param batchSize training images per step
 * @param partitions partitions of the data topics (the indexer's shards), 1..16
 * @param probeQueries test queries sent through the pipeline at each epoch for the accuracy curve, 0 for none
 * @param serve keep the stack running after the scenario, for npid ingest and npid query
 * @param stateDir where the broker and the processes keep state, or null for a temporary directory
 * @param seed seed of the synthetic set, of the hold-out of a photo folder and of training
 * @param imageSize the model's input side ({@code --image-size}), or null to size it from the data
 * @param channels the model's input channels, 1 or 3 ({@code --channels}), or null to take them from the data
 * @param trainerSettings further trainer settings ({@code --set KEY=VALUE}), applied last
 */
public record LocalConfig(
        Path data,
        boolean synthetic,
        int epochs,
        int trainLimit,
        int queries,
        String backbone,
        int batchSize,
        int partitions,
        int probeQueries,
        boolean serve,
        Path stateDir,
        long seed,
        Integer imageSize,
        Integer channels,
        Map<String, String> trainerSettings) {
    /**
     * Training images a run sees when {@code --epochs} is not given: Fashion-MNIST's 60,000 three times, the
     * default measured in docs/experiments.md; a smaller set gets more epochs, so that its model trains as long.
     */
    static final int DEFAULT_IMAGES_SEEN = 180_000;
    /** The fewest and most epochs {@link #epochsFor} gives. */
    static final int MIN_DEFAULT_EPOCHS = 3;

    static final int MAX_DEFAULT_EPOCHS = 100;
    /** The trainer's range of {@code npid.image.size}. */
    static final int MIN_IMAGE_SIZE = 8;

    static final int MAX_IMAGE_SIZE = 1024;

    /** The rules of the options a run is built from; the keys are the options' names, as errors name them. */
    private static final ConfigDef OPTIONS = new ConfigDef()
            .define(
                    "--epochs",
                    Type.INT,
                    ConfigDef.NO_DEFAULT_VALUE,
                    rule(v -> v >= 1, "must be at least 1"),
                    Importance.HIGH,
                    "Epochs to train before the queries are streamed.")
            .define(
                    "--train-limit",
                    Type.INT,
                    ConfigDef.NO_DEFAULT_VALUE,
                    rule(v -> v >= 10, "must be at least 10"),
                    Importance.MEDIUM,
                    "Training images to ingest.")
            .define(
                    "--queries",
                    Type.INT,
                    ConfigDef.NO_DEFAULT_VALUE,
                    rule(v -> v >= 1, "must be at least 1"),
                    Importance.MEDIUM,
                    "Test images streamed as queries.")
            .define(
                    "--backbone",
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    (name, value) -> {
                        if (!Backbones.NAMES.contains(value)) {
                            throw new ConfigException(name, value, "must be one of " + Backbones.NAMES);
                        }
                    },
                    Importance.HIGH,
                    "The encoder's backbone.")
            .define(
                    "--batch-size",
                    Type.INT,
                    ConfigDef.NO_DEFAULT_VALUE,
                    rule(v -> v >= 2 && v <= 4096, "must be between 2 and 4096"),
                    Importance.MEDIUM,
                    "Training images per step.")
            .define(
                    "--partitions",
                    Type.INT,
                    ConfigDef.NO_DEFAULT_VALUE,
                    rule(v -> v >= 1 && v <= 16, "must be between 1 and 16"),
                    Importance.MEDIUM,
                    "Partitions of the data topics (the indexer's shards).")
            .define(
                    "--probe-queries",
                    Type.INT,
                    ConfigDef.NO_DEFAULT_VALUE,
                    rule(v -> v >= 0, "must be 0 (none) or more"),
                    Importance.LOW,
                    "Test queries sent at each epoch for the accuracy curve.")
            .define(
                    "--image-size",
                    Type.INT,
                    null,
                    rule(
                            v -> v >= MIN_IMAGE_SIZE && v <= MAX_IMAGE_SIZE,
                            "must be between " + MIN_IMAGE_SIZE + " and " + MAX_IMAGE_SIZE),
                    Importance.MEDIUM,
                    "The model's input side; sized from the data when not given.")
            .define(
                    "--channels",
                    Type.INT,
                    null,
                    rule(v -> v == 1 || v == 3, "must be 1 (grey) or 3 (RGB)"),
                    Importance.MEDIUM,
                    "The model's input channels; taken from the data when not given.");

    /**
     * Validates everything before anything starts.
     *
     * @throws ConfigException naming the first bad option
     */
    public LocalConfig {
        final Map<String, Object> options = new HashMap<>();
        options.put("--epochs", epochs);
        options.put("--train-limit", trainLimit);
        options.put("--queries", queries);
        options.put("--backbone", backbone);
        options.put("--batch-size", batchSize);
        options.put("--partitions", partitions);
        options.put("--probe-queries", probeQueries);
        if (imageSize != null) {
            options.put("--image-size", imageSize);
        }
        if (channels != null) {
            options.put("--channels", channels);
        }
        // read as every npid config is: each option declared once, with its type and rule
        ConfigReader.read(OPTIONS, options, List.of(), "npid local --help", message -> {});
        trainerSettings = Map.copyOf(trainerSettings);
    }

    /**
     * The default epochs for a training set: about {@value #DEFAULT_IMAGES_SEEN} images seen, 3 to 100 epochs
     * (3 for Fashion-MNIST's 60,000; 39 for 4,660 images).
     *
     * @param trainImages the training set's size
     * @return the epochs
     */
    public static int epochsFor(final int trainImages) {
        final long epochs = Math.round((double) DEFAULT_IMAGES_SEEN / Math.max(1, trainImages));
        return (int) Math.max(MIN_DEFAULT_EPOCHS, Math.min(MAX_DEFAULT_EPOCHS, epochs));
    }

    /**
     * The same run with another epoch count.
     *
     * @param newEpochs epochs, at least 1
     * @return the new config
     */
    public LocalConfig withEpochs(final int newEpochs) {
        return new LocalConfig(
                data,
                synthetic,
                newEpochs,
                trainLimit,
                queries,
                backbone,
                batchSize,
                partitions,
                probeQueries,
                serve,
                stateDir,
                seed,
                imageSize,
                channels,
                trainerSettings);
    }

    /**
     * A run with the model's input sized from the data and no further trainer settings.
     *
     * @param data the data set folder, or null for the default
     * @param synthetic use the built-in synthetic set
     * @param epochs epochs to train
     * @param trainLimit training images
     * @param queries test queries
     * @param backbone the backbone
     * @param batchSize training images per step
     * @param partitions partitions of the data topics
     * @param probeQueries probe queries per epoch
     * @param serve keep serving afterwards
     * @param stateDir state directory, or null
     * @param seed the seed
     */
    public LocalConfig(
            final Path data,
            final boolean synthetic,
            final int epochs,
            final int trainLimit,
            final int queries,
            final String backbone,
            final int batchSize,
            final int partitions,
            final int probeQueries,
            final boolean serve,
            final Path stateDir,
            final long seed) {
        this(
                data,
                synthetic,
                epochs,
                trainLimit,
                queries,
                backbone,
                batchSize,
                partitions,
                probeQueries,
                serve,
                stateDir,
                seed,
                null,
                null,
                Map.of());
    }

    /** A rule on an int option; an option not given (null) passes. */
    private static ConfigDef.Validator rule(final IntPredicate ok, final String reason) {
        return (name, value) -> {
            if (value != null && !ok.test((Integer) value)) {
                throw new ConfigException(name, value, reason);
            }
        };
    }
}
