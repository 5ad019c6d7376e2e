package io.npid.trainer.stream;

import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.BatchLoader;
import io.npid.trainer.data.BatchScheduler;
import io.npid.trainer.data.ImageSource;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.StepResult;
import java.util.concurrent.TimeUnit;

/**
 * The training half of the loop: feeds new rows to the batch scheduler and takes one optimisation step at a time.
 *
 * <p>The batch loader (augmentation on a background thread) starts once the bank holds a full batch, or, for a set
 * smaller than a batch, once the input has caught up with at least two rows (batch norm needs two): while images
 * still stream in, short batches would race through epochs of a handful of images. The epoch count is the number
 * of complete passes over the rows, taken from the trained batch's position (not the loader's, which runs ahead).
 * A bounded run ({@code npid.trainer.epochs} E) is complete when E passes are done, the last pass covered every
 * row and the input has caught up: new rows keep it training (they join the next pass) and it waits for the input to
 * go quiet before it calls itself done, so E epochs mean E epochs over the data, not over what had arrived so far. With training switched off ({@code npid.trainer.train=false}) no loader ever
 * starts. Used by the training thread only.
 */
final class TrainStage implements AutoCloseable {
    private final NpidLearner learner;
    private final BatchScheduler scheduler;
    private final ImageSource source;
    private final int batchSize;
    private final int stopAfterEpochs;
    private BatchLoader loader;
    private long completedEpochs;
    private boolean complete;
    private int rows;
    private boolean caughtUp;
    private int lastPassRows;
    private BatchScheduler.State position;

    /**
     * What one step did.
     *
     * @param result the learner's step result
     * @param completedEpochs complete passes after this step
     * @param epochEnded whether this step completed an epoch
     */
    record Step(StepResult result, long completedEpochs, boolean epochEnded) {
    }

    TrainStage(final NpidLearner learner, final BatchScheduler scheduler, final ImageSource source,
               final int rows, final long completedEpochs, final int stopAfterEpochs, final boolean train) {
        this.learner = learner;
        this.scheduler = scheduler;
        this.source = source;
        this.batchSize = learner.config().batchSize();
        this.stopAfterEpochs = stopAfterEpochs;
        this.completedEpochs = completedEpochs;
        this.rows = rows;
        this.position = scheduler.state();
        // Serve-only (train=false) is "complete" from the start: ingest and publication go on, no step runs.
        this.complete = !train || (stopAfterEpochs > 0 && completedEpochs >= stopAfterEpochs);
        if (!complete) {
            // Rows stored before this start are not "new": they join the epochs, not the new-row queue.
            scheduler.setSize(rows);
            startLoaderWhenFull(rows);
        }
    }

    /** Hands newly ingested rows to the scheduler (trained before the epoch stream goes on). */
    void rowsAdded(final int[] newRows, final int totalRows) {
        rows = totalRows;
        if (complete || newRows.length == 0) {
            return;
        }
        scheduler.addNewRows(newRows);
        startLoaderWhenFull(totalRows);
    }

    /**
     * Tells whether the input has caught up with the end of its topics (nothing polled, no lag). A set smaller
     * than a batch starts training then, and a bounded run may complete only then.
     *
     * @param now whether the input is caught up now
     */
    void inputCaughtUp(final boolean now) {
        caughtUp = now;
        if (now && loader == null && !complete && rows >= 2) {
            startLoader();
        }
        completeIfDone();
    }

    /** Tells whether a step may run: the loader runs, training is not complete nor waiting for the input to end. */
    boolean ready() {
        return loader != null && !complete && !epochsDone();
    }

    /** The bounded run's passes are done over every row; only a quiet input is missing (or new rows arrive). */
    private boolean epochsDone() {
        return stopAfterEpochs > 0 && completedEpochs >= stopAfterEpochs && lastPassRows >= rows;
    }

    /**
     * Takes one step if an augmented batch is ready within the wait.
     *
     * @param waitMs longest wait for the loader
     * @return the step, or null when no batch was ready
     * @throws InterruptedException when interrupted while waiting
     */
    Step step(final long waitMs) throws InterruptedException {
        if (!ready()) {
            return null;
        }
        final AugmentedBatch batch = loader.poll(waitMs, TimeUnit.MILLISECONDS);
        if (batch == null) {
            return null;
        }
        final StepResult result = learner.step(batch);
        // epochProgress is epoch + cursor/len: reaching the next whole number means a pass just completed.
        final long passes = Math.max(completedEpochs, (long) Math.floor(batch.epochProgress() + 1e-9));
        final boolean ended = passes > completedEpochs;
        completedEpochs = passes;
        if (ended) {
            lastPassRows = batch.passRows();
        }
        position = batch.after();
        completeIfDone();
        return new Step(result, completedEpochs, ended);
    }

    /** @return complete passes over the rows so far */
    long completedEpochs() {
        return completedEpochs;
    }

    /** @return whether the configured epochs are done */
    boolean complete() {
        return complete;
    }

    /** @return the position after the last trained batch (not the loader's, which draws ahead), for checkpoints */
    BatchScheduler.State position() {
        return position;
    }

    private void completeIfDone() {
        if (!complete && loader != null && caughtUp && epochsDone()) {
            complete = true;
            closeLoader();
        }
    }

    private void startLoaderWhenFull(final int total) {
        if (loader == null && total >= batchSize) {
            startLoader();
        }
    }

    private void startLoader() {
        loader = new BatchLoader(scheduler, source, learner.augmentation(), learner.config().seed(),
                learner.config().loaderPrefetch());
    }

    private void closeLoader() {
        if (loader != null) {
            loader.close();
        }
    }

    @Override
    public void close() {
        closeLoader();
        scheduler.close();
    }
}
