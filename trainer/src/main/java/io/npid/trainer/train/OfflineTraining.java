package io.npid.trainer.train;

import io.npid.trainer.data.BatchScheduler;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.InMemoryImageSource;
import io.npid.trainer.data.LabelledImages;
import io.npid.trainer.data.SplitMix64;
import io.npid.trainer.eval.KnnEvaluator;
import io.npid.trainer.eval.LinearProbe;
import io.npid.trainer.eval.VoteTemperature;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains a learner for a number of epochs over an in-memory data set and evaluates it by weighted kNN after each:
 * the driver behind tests, benchmarks and the learning-quality experiments ({@code npid bench learn}).
 * {@code npid eval} does not use it: it scores a trainer checkpoint with its own kNN protocol.
 *
 * <p>With {@code npid.bank.refresh.epochs=E} the bank is re-embedded after every E-th epoch (inside the epoch's
 * wall time), so later steps train against, and kNN votes with, the current model's features.
 *
 * <p>The bank starts as the untrained network's embeddings ({@code npid.bank.init=embedding}, the streaming design)
 * or the paper's random rows. kNN uses the bank rows as training features and, optionally, features recomputed by
 * one forward pass without augmentation; the test set is always embedded afresh.
 */
public final class OfflineTraining {

    /**
     * How much to do.
     *
     * @param epochs epochs to train
     * @param maxStepsPerEpoch cap on steps per epoch (0 = a full pass, ceil(N / B) steps)
     * @param recomputed also evaluate with recomputed training features (one more forward pass over the train set)
     * @param evaluateInitial evaluate the untrained network before the first epoch
     * @param linearAfterLast after the last epoch also train a linear classifier on the bank rows with the
     *     training labels ({@link LinearProbe}, default options) and score it on the test set
     */
    public record Options(
            int epochs, int maxStepsPerEpoch, boolean recomputed, boolean evaluateInitial, boolean linearAfterLast) {
        /**
         * Options without the linear classifier.
         *
         * @param epochs epochs to train
         * @param maxStepsPerEpoch cap on steps per epoch (0 = a full pass)
         * @param recomputed also evaluate with recomputed training features
         * @param evaluateInitial evaluate the untrained network first
         */
        public Options(
                final int epochs, final int maxStepsPerEpoch, final boolean recomputed, final boolean evaluateInitial) {
            this(epochs, maxStepsPerEpoch, recomputed, evaluateInitial, false);
        }
    }

    /**
     * The figures of one epoch (epoch 0 with no steps is the untrained network).
     *
     * @param epoch 1-based epoch (0 = before training)
     * @param steps steps taken in this epoch
     * @param meanLoss mean step loss
     * @param trainSeconds wall time of the steps
     * @param imagesPerSecond training images per second
     * @param bankKnn kNN top-1 with bank rows as training features (NaN when not evaluated)
     * @param recomputedKnn kNN top-1 with recomputed training features (NaN when not evaluated)
     * @param z NCE's Z (NaN for the softmax)
     * @param bankLinear linear-classifier top-1 on bank rows as training features (NaN when not evaluated)
     * @param voteTemperature the vote temperature chosen on a validation split of the training rows (NaN when
     *     not evaluated; see {@link VoteTemperature})
     * @param validationKnn the validation split's kNN top-1 at that temperature
     * @param bankKnnChosen kNN top-1 on the test set with bank rows at that temperature (bankKnn is at
     *     npid.knn.temperature)
     */
    public record EpochReport(
            int epoch,
            int steps,
            double meanLoss,
            double trainSeconds,
            double imagesPerSecond,
            double bankKnn,
            double recomputedKnn,
            double z,
            double bankLinear,
            double voteTemperature,
            double validationKnn,
            double bankKnnChosen) {}

    /** Below this many training rows no validation split is held out for the vote's temperature. */
    static final int MIN_VALIDATION_ROWS = 20;

    private OfflineTraining() {}

    /**
     * Runs the training and the evaluations.
     *
     * @param config learner settings
     * @param train the training set (labels used only for the kNN vote)
     * @param test the evaluation set
     * @param options epochs and evaluation choices
     * @param listener called after each epoch (and for the initial evaluation)
     * @return the epoch reports in order
     * @throws InterruptedException when interrupted while waiting for a batch
     */
    public static List<EpochReport> run(
            final TrainerConfig config,
            final LabelledImages train,
            final LabelledImages test,
            final Options options,
            final Consumer<EpochReport> listener)
            throws InterruptedException {
        final DecodedImage first = train.images().get(0);
        final List<EpochReport> reports = new ArrayList<>();
        final KnnEvaluator knn = new KnnEvaluator(config.knnK(), config.knnTemperature());
        try (NpidLearner learner = NpidLearner.create(config, first.channels(), first.width())) {
            final int n = train.size();
            if (config.bankInitFromEmbedding()) {
                learner.appendBankRows(learner.embed(train.images()));
            } else {
                learner.appendBankRows(MemoryBank.randomRows(
                        n, config.lowDim(), new SplitMix64(SplitMix64.derive(config.seed(), 0x42414E4BL))));
            }
            if (options.evaluateInitial()) {
                final EpochReport initial = evaluate(learner, knn, train, test, 0, 0, Double.NaN, 0, true, false);
                reports.add(initial);
                listener.accept(initial);
            }
            final BatchScheduler scheduler = new BatchScheduler(config.batchSize(), config.seed());
            final int fullPass = (n + config.batchSize() - 1) / config.batchSize();
            final int steps =
                    options.maxStepsPerEpoch() > 0 ? Math.min(fullPass, options.maxStepsPerEpoch()) : fullPass;
            try (EpochLoop loop = new EpochLoop(
                    learner, scheduler, new InMemoryImageSource(train.images()), n, 0, options.epochs(), true, steps)) {
                if (config.bankRefreshEpochs() > 0) {
                    loop.addListener(new TrainingListener() {
                        @Override
                        public void onEpoch(final EpochLoop.Epoch epoch) {
                            if (epoch.epoch() % config.bankRefreshEpochs() == 0) {
                                // counted in the epoch's wall time: part of training, one forward pass per image
                                learner.refreshBankRows(0, train.images());
                            }
                        }
                    });
                }
                loop.addListener(new TrainingListener() {
                    private long start = System.nanoTime();

                    @Override
                    public void onEpoch(final EpochLoop.Epoch epoch) {
                        final double seconds = (System.nanoTime() - start) / 1e9;
                        final EpochReport report = evaluate(
                                learner,
                                knn,
                                train,
                                test,
                                (int) epoch.epoch(),
                                epoch.steps(),
                                epoch.meanLoss(),
                                seconds,
                                options.recomputed(),
                                options.linearAfterLast() && epoch.epoch() == options.epochs());
                        final EpochReport withSpeed = new EpochReport(
                                report.epoch(),
                                epoch.steps(),
                                report.meanLoss(),
                                seconds,
                                epoch.images() / seconds,
                                report.bankKnn(),
                                report.recomputedKnn(),
                                report.z(),
                                report.bankLinear(),
                                report.voteTemperature(),
                                report.validationKnn(),
                                report.bankKnnChosen());
                        reports.add(withSpeed);
                        listener.accept(withSpeed);
                        start = System.nanoTime();
                    }
                });
                if (options.epochs() > 0) {
                    loop.run();
                }
            }
        }
        return reports;
    }

    private static EpochReport evaluate(
            final NpidLearner learner,
            final KnnEvaluator knn,
            final LabelledImages train,
            final LabelledImages test,
            final int epoch,
            final int steps,
            final double meanLoss,
            final double seconds,
            final boolean recomputed,
            final boolean linear) {
        final int dim = learner.config().lowDim();
        final int classes = Math.max(train.classNames().length, test.classNames().length);
        final float[] queries = learner.embed(test.images());
        final float[] rows = learner.bankRows();
        final double bank = knn.evaluate(rows, train.labels(), queries, test.labels(), dim, classes)
                .accuracy();
        double chosenT = Double.NaN;
        double validation = Double.NaN;
        double bankChosen = Double.NaN;
        if (train.size() >= MIN_VALIDATION_ROWS) {
            // T from held-out training rows only; the test set is then voted on once at that T
            final VoteTemperature.Choice choice = new VoteTemperature(
                            learner.config().knnK(),
                            VoteTemperature.GRID,
                            learner.config().seed())
                    .choose(rows, train.labels(), dim, classes);
            chosenT = choice.temperature();
            validation = choice.chosenAccuracy();
            bankChosen = new KnnEvaluator(learner.config().knnK(), chosenT)
                    .evaluate(rows, train.labels(), queries, test.labels(), dim, classes)
                    .accuracy();
        }
        final double fresh = recomputed
                ? knn.evaluate(learner.embed(train.images()), train.labels(), queries, test.labels(), dim, classes)
                        .accuracy()
                : Double.NaN;
        final double linearTop1 = linear
                ? new LinearProbe(LinearProbe.Options.defaults())
                        .evaluate(learner.bankRows(), train.labels(), queries, test.labels(), dim, classes)
                        .accuracy()
                : Double.NaN;
        return new EpochReport(
                epoch,
                steps,
                meanLoss,
                seconds,
                0,
                bank,
                fresh,
                learner.z(),
                linearTop1,
                chosenT,
                validation,
                bankChosen);
    }
}
