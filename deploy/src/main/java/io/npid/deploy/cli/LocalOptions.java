package io.npid.deploy.cli;

import io.npid.deploy.local.LocalConfig;
import io.npid.deploy.process.SettingException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of {@code npid local}: what to run on, how long, and where the results go. */
final class LocalOptions {
    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Fashion-MNIST/MNIST IDX folder, CIFAR-10 binary folder, or a folder of PNG/JPEG files with "
                    + "one sub-folder per class, or with train/ and test/ each holding class sub-folders (default "
                    + "/usr/share/datasets/fashion-mnist; the built-in synthetic shapes when that is not installed).")
    Path data;

    @Option(
            names = "--synthetic",
            description = "Use the built-in synthetic shapes even where a data set is " + "installed.")
    boolean synthetic;

    @Option(
            names = "--epochs",
            paramLabel = "E",
            description = "Epochs to train before the queries (default: about 180,000 training images' worth, 3 to "
                    + "100 epochs: 3 for Fashion-MNIST's 60,000 images, 39 for 4,660).")
    Integer epochs;

    @Option(
            names = "--train-limit",
            paramLabel = "N",
            defaultValue = "" + LocalCommand.DEFAULT_TRAIN_LIMIT,
            description = "Training images to ingest (default ${DEFAULT-VALUE}).")
    int trainLimit;

    @Option(
            names = "--queries",
            paramLabel = "Q",
            defaultValue = "1000",
            description = "Test images to stream as queries (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(
            names = "--backbone",
            paramLabel = "small-flat|small-flat-wide|small|resnet18",
            defaultValue = "small-flat",
            description = "Encoder backbone (default ${DEFAULT-VALUE}; resnet18 is far slower on a CPU).")
    String backbone;

    @Option(
            names = "--serve",
            description = "Keep everything running afterwards, for npid ingest, npid query and "
                    + "npid tail from another terminal; Ctrl-C stops.")
    boolean serve;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "The broker's port on 127.0.0.1, so that clients of --serve find it at the same address every "
                            + "run (default: a free port).")
    int port;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the summary as JSON to FILE.")
    Path json;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            defaultValue = "report",
            description = "Write the HTML report and its pictures here (default ${DEFAULT-VALUE}/).")
    Path report;

    @Option(
            names = "--batch-size",
            paramLabel = "B",
            defaultValue = "64",
            description = "Training images per step (default ${DEFAULT-VALUE}, as the trainer's npid.batch.size; "
                    + "docs/experiments.md).")
    int batchSize;

    @Option(
            names = "--partitions",
            paramLabel = "P",
            defaultValue = "2",
            description = "Partitions of the data topics, i.e. the indexer's shards (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--probe-queries",
            paramLabel = "M",
            defaultValue = "200",
            description = "Test queries sent at each epoch to draw the accuracy curve, 0 for none "
                    + "(default ${DEFAULT-VALUE}).")
    int probeQueries;

    @Option(
            names = "--stream-rate",
            paramLabel = "R",
            defaultValue = "0",
            description = "Send the training images at R images/s while the model trains and queries are answered, "
                    + "probing the accuracy over time (the summary JSON's 'stream'); 0 ingests them all before training "
                    + "(default ${DEFAULT-VALUE}).")
    int streamRate;

    @Option(
            names = "--stream-labels",
            paramLabel = "FRACTION",
            defaultValue = "1.0",
            description = "With --stream-rate, the share of streamed training images whose label is sent, chosen by "
                    + "--seed; the rest stay unlabelled and do not vote (default ${DEFAULT-VALUE}).")
    double streamLabels;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Keep the broker's and processes' state here (default: a temporary directory, deleted).")
    Path stateDir;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--image-size",
            paramLabel = "N",
            description = "The model's input side, npid.image.size (default: from the data: the images' size when all "
                    + "are one size of at most 64 pixels, else 32).")
    Integer imageSize;

    @Option(
            names = "--channels",
            paramLabel = "1|3",
            description = "The model's input channels, npid.image.channels (default: 3 if any image has colour, "
                    + "else 1).")
    Integer channels;

    /**
     * Checks the options against each other and makes the run's configuration.
     *
     * @param trainerSettings the trainer's {@code --set} settings
     * @return the configuration
     * @throws SettingException when an option is out of range or two options conflict
     */
    LocalConfig toConfig(final Map<String, String> trainerSettings) {
        if (synthetic && data != null) {
            throw new SettingException("--synthetic", "set", "give either --synthetic or --data, not both");
        }
        if (streamRate < 0) {
            throw new SettingException("--stream-rate", streamRate, "must be 0 (ingest first) or a rate in images/s");
        }
        if (!(streamLabels >= 0 && streamLabels <= 1)) {
            throw new SettingException("--stream-labels", streamLabels, "must be a fraction from 0 to 1");
        }
        if (streamLabels != 1 && streamRate == 0) {
            throw new SettingException(
                    "--stream-labels", streamLabels, "labels part of a stream: give --stream-rate " + "too");
        }
        return new LocalConfig(
                data,
                synthetic,
                epochs == null ? LocalCommand.DEFAULT_EPOCHS : epochs,
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
}
