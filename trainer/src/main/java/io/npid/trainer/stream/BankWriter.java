package io.npid.trainer.stream;

import io.npid.store.FeatureStore;
import io.npid.store.TrainerProgress;
import io.npid.trainer.train.EpochLoop;
import io.npid.trainer.train.StepResult;
import java.util.function.LongSupplier;

/**
 * Writes each step's bank rows to the feature store with the progress they belong to: the first listener of a step,
 * so that the rows are stored before they are published.
 */
final class BankWriter implements LoopListener {
    private final FeatureStore store;
    private final LongSupplier modelVersion;

    /**
     * @param store the feature store
     * @param modelVersion the current model version
     */
    BankWriter(final FeatureStore store, final LongSupplier modelVersion) {
        this.store = store;
        this.modelVersion = modelVersion;
    }

    @Override
    public void onStep(final EpochLoop.Step step) {
        final StepResult result = step.result();
        final double z = Double.isFinite(result.z()) && result.z() > 0 ? result.z() : Double.NaN;
        store.writeBank(
                result.rows(),
                result.newBankRows(),
                new TrainerProgress(result.step(), step.completedEpochs(), modelVersion.getAsLong(), z));
    }
}
