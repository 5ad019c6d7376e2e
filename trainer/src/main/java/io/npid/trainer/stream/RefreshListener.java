package io.npid.trainer.stream;

import io.npid.store.FeatureStore;
import io.npid.trainer.checkpoint.RefreshProgress;
import io.npid.trainer.train.EpochLoop;
import io.npid.trainer.train.NpidLearner;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bank refreshes in the streaming trainer: starts a {@link BankRefresh} at the end of every E-th epoch and runs one
 * slice per iteration of the loop, writing the rows to the store and handing them to publication.
 *
 * <p>It also ends the epochs: an epoch whose refresh pauses training ends with its refresh, so that listeners
 * (npid local's probes) see the refreshed bank; otherwise it ends at once. A refresh resumed after a restart ends
 * no epoch: the epoch's end was announced, or lost with the crash, before.
 */
final class RefreshListener implements LoopListener {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshListener.class);

    private final BankRefresh refresh;
    private final NpidLearner learner;
    private final FeatureStore store;
    private final PublishingListener publishing;
    private final Consumer<EpochLoop.Epoch> epochEnd;
    private final LongSupplier clock;
    private EpochLoop.Epoch endsWithRefresh;

    /**
     * @param refresh the refresh
     * @param learner the learner
     * @param store the feature store
     * @param publishing where the refreshed rows go
     * @param epochEnd ends an epoch (after its refresh when that pauses training)
     * @param clock the clock
     */
    RefreshListener(
            final BankRefresh refresh,
            final NpidLearner learner,
            final FeatureStore store,
            final PublishingListener publishing,
            final Consumer<EpochLoop.Epoch> epochEnd,
            final LongSupplier clock) {
        this.refresh = refresh;
        this.learner = learner;
        this.store = store;
        this.publishing = publishing;
        this.epochEnd = epochEnd;
        this.clock = clock;
    }

    @Override
    public void onEpoch(final EpochLoop.Epoch epoch) {
        if (refresh.startIfDue(epoch.epoch(), learner.bankSize())) {
            LOG.info(
                    "Refreshing the bank: re-embedding {} rows with the model of step {}{}",
                    refresh.rows(),
                    epoch.step(),
                    refresh.pausesTraining()
                            ? ""
                            : ", spread over the next " + steps(refresh.rows()) + " steps (" + refresh.sliceRows()
                                    + " rows after each)");
        }
        if (refresh.pausesTraining()) {
            endsWithRefresh = epoch;
        } else {
            epochEnd.accept(epoch);
        }
    }

    /**
     * Resumes the refresh a checkpoint was taken in (after a restart, before the first iteration).
     *
     * @param progress the checkpoint's refresh
     */
    void resume(final RefreshProgress progress) {
        refresh.resume(progress, learner.bankSize());
        LOG.info(
                "Resuming the bank refresh of epoch {} at row {} of {} with the restored model{}",
                progress.epoch(),
                progress.nextRow(),
                progress.rows(),
                refresh.pausesTraining() ? "" : ", " + refresh.sliceRows() + " rows after each step");
    }

    /** @return the refresh in progress for a checkpoint, or null */
    RefreshProgress progress() {
        return refresh.progress();
    }

    private int steps(final int rows) {
        return (rows + refresh.sliceRows() - 1) / refresh.sliceRows();
    }

    /** @return whether a refresh is in progress */
    boolean active() {
        return refresh.active();
    }

    /** @return whether a refresh is in progress that steps must wait for */
    boolean pausesTraining() {
        return refresh.pausesTraining();
    }

    /**
     * Runs the next slice of the refresh in progress.
     *
     * @return whether this slice finished the refresh
     */
    boolean runSlice() {
        final BankRefresh.Slice slice = refresh.runSlice();
        store.writeBank(slice.rows(), slice.vectors(), null);
        publishing.offer(slice.rows(), slice.vectors(), learner.stepCount());
        if (slice.last()) {
            LOG.info(
                    "Bank refreshed: {} rows in {} s", refresh.rows(), String.format("%.1f", refresh.elapsedSeconds()));
            publishing.publish(clock.getAsLong());
            if (endsWithRefresh != null) {
                epochEnd.accept(endsWithRefresh);
                endsWithRefresh = null;
            }
        }
        return slice.last();
    }
}
