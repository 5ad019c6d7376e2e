package io.npid.bench.trainer;

import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import io.npid.trainer.train.OfflineTraining;
import io.npid.trainer.train.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One learning-quality experiment: trains on a data set for some epochs and prints (and writes as JSON) the
 * weighted-kNN top-1 after each, with bank and recomputed features, the loss and the wall time, and the kNN top-1
 * again at a vote temperature chosen on a validation split of the training set (never the test set; see
 * {@code io.npid.trainer.eval.VoteTemperature}).
 *
 * <p>Run: {@code java -Dai.djl.offline=true -cp ... io.npid.bench.trainer.LearningExperiment --dataset fashion
 * --epochs 1 --json run.json npid.lr=0.01 npid.threads=2}; any {@code npid.*=value} argument overrides a
 * {@link TrainerConfig} setting. Data sets: {@code fashion} (IDX in {@code --data DIR}, default
 * {@link Datasets#FASHION_MNIST_DIR}), {@code cifar10} (binary batches in {@code --data DIR}), {@code synthetic}.
 */
public final class LearningExperiment {

    private LearningExperiment() {}

    /**
     * Command-line entry.
     *
     * @param args --dataset, --data, --epochs, --train-limit, --steps-per-epoch, --test-batch (cifar10: hold out
     *     training batch N as the test set), --no-recomputed, --no-initial
     *     (skip the untrained network's evaluation), --linear (a linear classifier after the last epoch), --json,
     *     npid.k=v
     * @throws Exception on a bad argument, missing data or a failed run
     */
    public static void main(final String[] args) throws Exception {
        final Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--dataset", "fashion");
        defaults.put("--data", null);
        defaults.put("--epochs", "1");
        defaults.put("--train-limit", "0");
        defaults.put("--steps-per-epoch", "0");
        defaults.put("--test-batch", "0");
        defaults.put("--set", null);
        final BenchArgs a = BenchArgs.parse(args, defaults, Set.of("--no-recomputed", "--no-initial", "--linear"));
        final String dataset = a.get("--dataset");
        final Path data = a.get("--data") == null ? null : Path.of(a.get("--data"));
        final int epochs = a.getInt("--epochs");
        final int trainLimit = a.getInt("--train-limit");
        final int stepsPerEpoch = a.getInt("--steps-per-epoch");
        final int testBatch = a.getInt("--test-batch");
        final boolean recomputed = !a.flag("--no-recomputed");
        final boolean initial = !a.flag("--no-initial");
        final boolean linear = a.flag("--linear");
        final Path json = a.json();
        final Map<String, String> overrides = a.settings();
        for (final String key : overrides.keySet()) {
            if (!TrainerConfig.names().contains(key)) {
                // a typo would otherwise be ignored silently and the run would measure the default
                throw new IllegalArgumentException(
                        "Unknown setting " + key + "; known: " + new java.util.TreeSet<>(TrainerConfig.names()));
            }
        }
        LabelledImages train;
        final LabelledImages test;
        switch (dataset) {
            case "fashion" -> {
                final Path dir = data != null ? data : Datasets.FASHION_MNIST_DIR;
                train = Datasets.idx(dir, Datasets.Split.TRAIN);
                test = Datasets.idx(dir, Datasets.Split.TEST);
            }
            case "cifar10" -> {
                if (testBatch > 0) {
                    // a folder without test_batch.bin (e.g. a subset): hold one training batch out
                    final int held = testBatch;
                    train = Datasets.cifar10Batches(
                            data,
                            java.util.stream.IntStream.rangeClosed(1, 5)
                                    .filter(b -> b != held)
                                    .toArray());
                    test = Datasets.cifar10Batches(data, held);
                } else {
                    train = Datasets.cifar10(data, Datasets.Split.TRAIN);
                    test = Datasets.cifar10(data, Datasets.Split.TEST);
                }
            }
            case "synthetic" -> {
                train = Datasets.synthetic(trainLimit > 0 ? trainLimit : 5000, 1);
                test = Datasets.synthetic(1000, 2);
            }
            default -> throw new IllegalArgumentException("Unknown data set " + dataset);
        }
        if (trainLimit > 0) {
            train = train.head(trainLimit);
        }
        final TrainerConfig config = new TrainerConfig(overrides);
        System.out.println(dataset + " train " + train.size() + " test " + test.size() + " " + config);
        final long start = System.nanoTime();
        final List<OfflineTraining.EpochReport> reports = new ArrayList<>();
        OfflineTraining.run(
                config,
                train,
                test,
                new OfflineTraining.Options(epochs, stepsPerEpoch, recomputed, initial, linear),
                r -> {
                    reports.add(r);
                    // training time excludes the evaluations, so budgets ("an hour of training") read off it
                    final double trained = reports.stream()
                            .mapToDouble(OfflineTraining.EpochReport::trainSeconds)
                            .sum();
                    System.out.printf(
                            "epoch %d: loss %.3f, kNN bank %.2f%%, recomputed %.2f%%, %.0f s, %.1f img/s, "
                                    + "z %s, trained %.0f s, elapsed %.0f s%n",
                            r.epoch(),
                            r.meanLoss(),
                            100 * r.bankKnn(),
                            100 * r.recomputedKnn(),
                            r.trainSeconds(),
                            r.imagesPerSecond(),
                            r.z(),
                            trained,
                            (System.nanoTime() - start) / 1e9);
                    if (!Double.isNaN(r.voteTemperature())) {
                        System.out.printf(
                                "epoch %d: vote T chosen on a 10%% validation split of the training set %.2f "
                                        + "(validation %.2f%%): kNN bank %.2f%%%n",
                                r.epoch(), r.voteTemperature(), 100 * r.validationKnn(), 100 * r.bankKnnChosen());
                    }
                    if (!Double.isNaN(r.bankLinear())) {
                        System.out.printf(
                                "epoch %d: linear classifier on the bank rows %.2f%%%n",
                                r.epoch(), 100 * r.bankLinear());
                    }
                });
        if (json != null) {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("dataset", dataset);
            out.put("train", train.size());
            out.put("test", test.size());
            out.put("config", config.toMap());
            out.put("epochs", reports);
            out.put("wallSeconds", (System.nanoTime() - start) / 1e9);
            BenchJson.write(out, json);
        }
    }
}
