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
 * <p>The batch loader (augmentation on a background thread) starts only once the bank holds a full batch: with
 * fewer rows the scheduler would hand out short batches and race through epochs of a handful of images, so the
 * trainer waits for more data instead. It stops for good when the configured epochs are done. The epoch count is
 * the number of complete passes over the rows, taken from the trained batch's position (not the loader's, which
 * runs ahead). With training switched off ({@code npid.trainer.train=false}) no loader ever starts. Used by the
 * training thread only.
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
        if (complete || newRows.length == 0) {
            return;
        }
        scheduler.addNewRows(newRows);
        startLoaderWhenFull(totalRows);
    }

    /** Tells whether a step may run: a full batch of rows exists and training is not complete. */
    boolean ready() {
        return loader != null && !complete;
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
        if (stopAfterEpochs > 0 && completedEpochs >= stopAfterEpochs) {
            complete = true;
            closeLoader();
        }
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

    /** @return the scheduler's position, for checkpoints */
    BatchScheduler.State position() {
        return scheduler.state();
    }

    private void startLoaderWhenFull(final int rows) {
        if (loader == null && rows >= batchSize) {
            loader = new BatchLoader(scheduler, source, learner.augmentation(), learner.config().seed(),
                    learner.config().loaderPrefetch());
        }
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
