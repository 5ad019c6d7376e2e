package io.npid.deploy.bench;

import io.npid.bench.trainer.LearningExperiment;
import io.npid.deploy.process.SettingException;
import io.npid.deploy.settings.SettingsCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code npid bench learn}: one learning-quality experiment of docs/experiments.md, the weighted-kNN top-1 on the
 * test split after each epoch of offline training (labels used only for the vote).
 */
@Command(
        name = "learn",
        mixinStandardHelpOptions = true,
        footer = "%nEvery setting with its default and valid values: npid settings bench learn",
        description = {
            "Learning quality: train offline for some epochs and print the weighted kNN top-1 (k 200, "
                    + "T 0.07) on the test split after each, with bank and optionally recomputed training features, "
                    + "and again at a vote T chosen on a seeded 10% validation split of the training set "
                    + "(never on the test set).",
            "Example: npid bench learn --epochs 16 --set npid.threads=2 --json run.json"
        })
public final class BenchLearnCommand implements Callable<Integer> {

    @Option(
            names = "--dataset",
            defaultValue = "fashion",
            paramLabel = "fashion|cifar10|synthetic",
            description = "Data set (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Its folder (default /usr/share/datasets/fashion-mnist for fashion).")
    Path data;

    @Option(
            names = "--epochs",
            defaultValue = "1",
            paramLabel = "E",
            description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--train-limit",
            defaultValue = "0",
            paramLabel = "N",
            description = "Use the first N training images, 0 for all (default ${DEFAULT-VALUE}).")
    int trainLimit;

    @Option(
            names = "--recomputed",
            description = "Also vote with training features recomputed by one forward "
                    + "pass (equal to the bank after a refresh, the default).")
    boolean recomputed;

    @Option(names = "--initial", description = "Also evaluate the untrained network first.")
    boolean initial;

    @Option(
            names = "--linear",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "After the last epoch also train a linear classifier on the frozen bank rows with the "
                    + "training labels and print its test top-1 (default on; --no-linear skips it).")
    boolean linear;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A learner setting (npid.*), repeatable.")
    Map<String, String> settings = new TreeMap<>();

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1) {
            throw new SettingException("--epochs", epochs, "must be at least 1");
        }
        final List<String> args = new ArrayList<>(List.of(
                "--dataset",
                dataset,
                "--epochs",
                Integer.toString(epochs),
                "--train-limit",
                Integer.toString(trainLimit)));
        if (data != null) {
            args.addAll(List.of("--data", data.toString()));
        }
        if (!recomputed) {
            args.add("--no-recomputed");
        }
        if (!initial) {
            args.add("--no-initial");
        }
        if (linear) {
            args.add("--linear");
        }
        if (output.json != null) {
            args.addAll(List.of("--json", output.json.toString()));
        }
        for (String key : settings.keySet()) {
            if (!key.startsWith("npid.")) {
                throw new SettingException(
                        "--set",
                        key,
                        "bench learn takes learner settings (npid.*); see npid " + "settings bench learn");
            }
        }
        SettingsCatalog.requireKnown("bench learn", settings);
        settings.forEach((key, value) -> args.add(key + "=" + value));
        LearningExperiment.main(args.toArray(String[]::new));
        return 0;
    }
}
