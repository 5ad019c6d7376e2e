package io.npid.deploy.cli;

import io.npid.deploy.client.DataSources;
import io.npid.deploy.process.DirectoryTrees;
import io.npid.deploy.process.SettingException;
import io.npid.store.FeatureStore;
import io.npid.store.StoreOptions;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.LabelledImages;
import io.npid.trainer.eval.KnnEvaluator;
import io.npid.trainer.eval.LinearProbe;
import io.npid.trainer.eval.VoteTemperature;
import io.npid.trainer.model.Backbones;
import io.npid.trainer.model.EncoderSpec;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.TrainerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code npid eval}: the paper's kNN protocol on a trainer's latest checkpoint: the memory bank's labelled rows
 * are the training features, the test images are embedded by the checkpoint's encoder, and a weighted kNN vote
 * classifies them. A bank row votes for the test class of its class name. With {@code --linear} also the paper's
 * second protocol: a linear classifier trained on the same frozen training features with their labels. With
 * {@code --validate-temperature} the vote's T is also chosen on a validation split of the labelled bank rows
 * ({@link VoteTemperature}), as the test set must not choose it.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "kNN accuracy of a trainer checkpoint on a labelled test set (bank features, optionally also "
                + "recomputed features), optionally beside a linear classifier's.")
public final class EvalCommand implements Callable<Integer> {
    /** Seed of the validation split for --validate-temperature: fixed, so a checkpoint always gets the same T. */
    static final long VALIDATION_SEED = 42;

    @Option(
            names = "--state-dir",
            required = true,
            paramLabel = "DIR",
            description =
                    "The trainer's state directory (its latest checkpoint is evaluated; the trainer may be running).")
    Path stateDir;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "Labelled test images: an IDX or CIFAR-10 folder (its test split) or class folders.")
    Path data;

    @Option(
            names = "--split",
            defaultValue = "TEST",
            paramLabel = "train|test",
            description = "Split of the data set (default ${DEFAULT-VALUE}).")
    Datasets.Split split;

    @Option(
            names = "--limit",
            defaultValue = "10000",
            paramLabel = "N",
            description = "Test images to use (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(
            names = "--backbone",
            paramLabel = "small-flat|small-flat-wide|small|resnet18",
            description = "The checkpoint's backbone (default: the one its metadata names).")
    String backbone;

    @Option(
            names = "--k",
            defaultValue = "200",
            paramLabel = "K",
            description = "Neighbours that vote (default ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--temperature",
            defaultValue = "0.07",
            paramLabel = "T",
            description = "Vote temperature (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(
            names = "--validate-temperature",
            description = "Also choose the vote temperature without the test set: hold a seeded 10% of the bank's "
                    + "labelled rows out as queries against the other 90%, vote at each T of "
                    + "0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.2 (k as --k), keep the T with the best validation "
                    + "top-1, and report the test kNN top-1 with all labelled rows at that T beside --temperature's.")
    boolean validateTemperature;

    @Option(
            names = "--recompute",
            description = "Also evaluate with training features recomputed by the encoder "
                    + "(one forward pass over the stored images).")
    boolean recompute;

    @Option(
            names = "--linear",
            description = "Also train a linear classifier (multinomial logistic regression) on "
                    + "the frozen training features with their labels and report its test top-1 beside kNN's.")
    boolean linear;

    @Option(
            names = "--linear-epochs",
            defaultValue = "30",
            paramLabel = "E",
            description = "Epochs of the linear classifier's SGD (default ${DEFAULT-VALUE}).")
    int linearEpochs;

    @Option(
            names = "--linear-weight-decay",
            defaultValue = "1e-4",
            paramLabel = "L2",
            description = "L2 weight decay of the linear classifier (default ${DEFAULT-VALUE}).")
    double linearWeightDecay;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures to FILE as JSON.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new SettingException("--k", k, "must be at least 1");
        }
        if (!(temperature > 0)) {
            throw new SettingException("--temperature", temperature, "must be greater than 0");
        }
        if (linearEpochs < 1) {
            throw new SettingException("--linear-epochs", linearEpochs, "must be at least 1");
        }
        if (!(linearWeightDecay >= 0)) {
            throw new SettingException("--linear-weight-decay", linearWeightDecay, "must be at least 0");
        }
        final LinearProbe probe = new LinearProbe(LinearProbe.Options.defaults().with(linearEpochs, linearWeightDecay));
        final CheckpointDirectory.Checkpoint checkpoint = new CheckpointDirectory(
                        stateDir.resolve("checkpoints"), Integer.MAX_VALUE)
                .latest()
                .orElseThrow(() -> new StateDirectoryException(
                        "no checkpoint in " + stateDir.resolve("checkpoints")
                                + "; is it a trainer's --state-dir, and has it trained?",
                        null));
        final LabelledImages test = DataSources.load(data, split).head(limit);
        final PrintWriter err = spec.commandLine().getErr();
        err.printf(
                "eval: checkpoint v%d (step %d, epoch %d, %,d rows) on %,d test images%n",
                checkpoint.meta().version(),
                checkpoint.meta().step(),
                checkpoint.meta().epoch(),
                checkpoint.meta().rows(),
                test.size());
        final String trained = backbone != null
                ? backbone
                : checkpoint.meta().encoderConfig().getOrDefault(EncoderSpec.BACKBONE_KEY, Backbones.SMALL);
        final TrainerConfig config = TrainerConfig.defaults().with(Map.of(TrainerConfig.BACKBONE_CONFIG, trained));
        final Path copy = Files.createTempDirectory("npid-eval");
        final Map<String, Object> figures = new LinkedHashMap<>();
        try (NpidLearner learner = NpidLearner.load(checkpoint.learnerDir(), config)) {
            // the checkpoint's store is read from a copy: opening RocksDB writes to its directory
            DirectoryTrees.copy(checkpoint.storeDir(), copy);
            final int dim = learner.config().lowDim();
            try (FeatureStore store = FeatureStore.open(copy, StoreOptions.defaults(dim))) {
                final Bank bank = labelledBank(store, dim, test.classNames(), err);
                final float[] queries = learner.embed(test.images());
                final int classes = bank.classes();
                final KnnEvaluator knn = new KnnEvaluator(k, temperature);
                figures.put(
                        "knn_top1",
                        knn.evaluate(bank.vectors(), bank.labels(), queries, test.labels(), dim, classes)
                                .accuracy());
                if (validateTemperature) {
                    // the held-out queries are training rows: the test images play no part in choosing T
                    final VoteTemperature.Choice choice = new VoteTemperature(k, VoteTemperature.GRID, VALIDATION_SEED)
                            .choose(bank.vectors(), bank.labels(), dim, classes);
                    figures.put("vote_temperature_validated", choice.temperature());
                    figures.put("validation_top1", choice.chosenAccuracy());
                    figures.put("validation_rows", choice.validationRows());
                    figures.put(
                            "knn_top1_validated_temperature",
                            new KnnEvaluator(k, choice.temperature())
                                    .evaluate(bank.vectors(), bank.labels(), queries, test.labels(), dim, classes)
                                    .accuracy());
                }
                if (linear) {
                    figures.put(
                            "linear_top1",
                            probe.evaluate(bank.vectors(), bank.labels(), queries, test.labels(), dim, classes)
                                    .accuracy());
                }
                if (recompute) {
                    final float[] fresh = learner.embed(images(store, bank.rows()));
                    figures.put(
                            "knn_top1_recomputed",
                            knn.evaluate(fresh, bank.labels(), queries, test.labels(), dim, classes)
                                    .accuracy());
                    if (linear) {
                        figures.put(
                                "linear_top1_recomputed",
                                probe.evaluate(fresh, bank.labels(), queries, test.labels(), dim, classes)
                                        .accuracy());
                    }
                }
                figures.put("train_rows_labelled", bank.rows().length);
                figures.put("bank_rows", store.size());
            }
        } finally {
            DirectoryTrees.delete(copy);
        }
        figures.put("test_images", test.size());
        figures.put("k", k);
        figures.put("temperature", temperature);
        if (linear) {
            figures.put("linear_epochs", linearEpochs);
            figures.put("linear_weight_decay", linearWeightDecay);
        }
        figures.put("model_version", checkpoint.meta().version());
        figures.put("step", checkpoint.meta().step());
        figures.put("epoch", checkpoint.meta().epoch());
        final PrintWriter out = spec.commandLine().getOut();
        figures.forEach((key, v) -> out.printf(Locale.ROOT, "%-22s %s%n", key, v));
        if (json != null) {
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(json.toFile(), figures);
        }
        return ExitCodes.OK;
    }

    /**
     * The bank rows that have a label (only those can vote), their vectors, their classes numbered as the test set
     * numbers its classes, and the number of classes.
     */
    private record Bank(int[] rows, float[] vectors, int[] labels, int classes) {}

    private static Bank labelledBank(
            final FeatureStore store, final int dim, final String[] testClasses, final PrintWriter err) {
        final float[] all = store.loadBank();
        final List<Integer> rows = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (int row = 0; row < store.size(); row++) {
            final Optional<String> name = store.labelOf(row);
            if (name.isPresent()) {
                rows.add(row);
                names.add(name.get());
            }
        }
        if (rows.isEmpty()) {
            throw new StateDirectoryException(
                    "the checkpoint's bank has no labelled rows; send labels on the labels "
                            + "topic (npid ingest --labels)",
                    null);
        }
        final ClassNumbering numbering = ClassNumbering.of(names, testClasses);
        if (numbering.byNumber()) {
            err.println("eval: the bank's classes are numbers and none is a test class name (labelled before class "
                    + "names): bank class N is taken as test class N (" + testClasses[0] + " = 0)");
        }
        final float[] vectors = new float[rows.size() * dim];
        final int[] labels = new int[rows.size()];
        int classes = testClasses.length;
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(all, rows.get(i) * dim, vectors, i * dim, dim);
            labels[i] = numbering.numbers().get(names.get(i));
            classes = Math.max(classes, labels[i] + 1);
        }
        return new Bank(rows.stream().mapToInt(Integer::intValue).toArray(), vectors, labels, classes);
    }

    private static List<DecodedImage> images(final FeatureStore store, final int[] rows) {
        return store.readImages(rows).stream()
                .map(s -> new DecodedImage(s.width(), s.height(), s.channels(), s.pixels()))
                .toList();
    }
}
