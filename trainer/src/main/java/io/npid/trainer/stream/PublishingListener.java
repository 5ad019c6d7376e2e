package io.npid.trainer.stream;

import io.npid.store.FeatureStore;
import io.npid.trainer.train.EpochLoop;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Feature publication on the training thread: the rows that steps and refreshes change wait in
 * {@link PendingFeatures} and go to {@code features} at most once per interval, together with the rows that got a
 * label since (their vector is read back from the store: the event carries the class name).
 */
final class PublishingListener implements LoopListener {
    private final FeaturePublisher features;
    private final PendingFeatures pending;
    private final FeatureStore store;
    private final LongSupplier step;
    private final LongSupplier modelVersion;
    private final BitSet relabelled = new BitSet();

    /**
     * @param features the training thread's publisher
     * @param pending the rows waiting
     * @param store the feature store (for the relabelled rows' vectors)
     * @param step the learner's current step
     * @param modelVersion the current model version
     */
    PublishingListener(
            final FeaturePublisher features,
            final PendingFeatures pending,
            final FeatureStore store,
            final LongSupplier step,
            final LongSupplier modelVersion) {
        this.features = features;
        this.pending = pending;
        this.store = store;
        this.step = step;
        this.modelVersion = modelVersion;
    }

    @Override
    public void onStep(final EpochLoop.Step step) {
        offer(step.result().rows(), step.result().newBankRows(), step.result().step());
    }

    /**
     * Marks rows as changed.
     *
     * @param rows the rows
     * @param vectors their new vectors, rows.length * dimension floats
     * @param atStep the step that produced them
     */
    void offer(final int[] rows, final float[] vectors, final long atStep) {
        pending.offer(rows, vectors, store.dimension(), atStep, modelVersion.getAsLong());
    }

    /**
     * Marks stored rows whose label changed: their features go out again with the class name.
     *
     * @param rows the rows
     */
    void relabelled(final int[] rows) {
        for (final int row : rows) {
            relabelled.set(row);
        }
    }

    /** Publishes what waits once the interval has passed. */
    @Override
    public void onIteration(final long now) {
        if ((pending.size() > 0 || !relabelled.isEmpty()) && pending.intervalPassed(now)) {
            publish(now);
        }
    }

    /**
     * Publishes the pending rows, plus relabelled rows whose vector is read back from the store.
     *
     * @param now the current time
     */
    void publish(final long now) {
        final List<PendingFeatures.Row> rows = new ArrayList<>(pending.drain(now));
        for (final PendingFeatures.Row row : rows) {
            relabelled.clear(row.row());
        }
        if (!relabelled.isEmpty()) {
            final int[] wanted = relabelled.stream().toArray();
            relabelled.clear();
            final List<float[]> vectors = store.readBank(wanted);
            for (int i = 0; i < wanted.length; i++) {
                if (vectors.get(i) != null) {
                    rows.add(new PendingFeatures.Row(
                            wanted[i], vectors.get(i), step.getAsLong(), modelVersion.getAsLong()));
                }
            }
        }
        features.publish(rows);
    }

    /** Waits until everything published was acknowledged. */
    void flush() {
        features.flush();
    }

    /**
     * Publishes every stored row (at start, so that values pending at a crash reach the topic).
     *
     * @return the rows published
     */
    int publishAll() {
        return features.publishAll(step.getAsLong(), modelVersion.getAsLong());
    }
}
