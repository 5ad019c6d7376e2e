package io.npid.trainer.train;

import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.BatchLoader;
import io.npid.trainer.data.BatchScheduler;
import io.npid.trainer.data.ImageSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one epoch loop of offline and streaming training: feeds rows to the batch scheduler, takes one optimisation
 * step at a time, counts epochs and tells its {@link TrainingListener}s.
 *
 * <p>The batch loader (augmentation on a background thread) starts once the bank holds a full batch, or, for a set
 * smaller than a batch, once the input has caught up with at least two rows (batch norm needs two): while images
 * still stream in, short batches would race through epochs of a handful of images. An epoch is either a complete
 * pass over the rows, taken from the trained batch's position (not the loader's, which runs ahead), or, with
 * {@code stepsPerEpoch} > 0 (offline training), that many steps. A bounded run (E epochs) is complete when E epochs
 * are done, the last pass covered every row and the input has caught up: new rows keep it training (they join the
 * next pass) and it waits for the input to go quiet before it calls itself done, so E epochs mean E epochs over the
 * data, not over what had arrived so far. With training switched off no loader ever starts. Used by the training
 * thread only.
 */
public final class EpochLoop implements AutoCloseable {
    private final NpidLearner learner;
    private final BatchScheduler scheduler;
    private final ImageSource source;
    private final int batchSize;
    private final int stopAfterEpochs;
    private final int stepsPerEpoch;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private BatchLoader loader;
    private long completedEpochs;
    private boolean complete;
    private int rows;
    private boolean caughtUp;
    private int lastPassRows;
    private BatchScheduler.State position;
    private double epochLoss;
    private int epochSteps;
    private long epochImages;

    /**
     * What one step did.
     *
     * @param result the learner's step result
     * @param completedEpochs complete epochs after this step
     * @param epochEnded whether this step completed an epoch
     */
    public record Step(StepResult result, long completedEpochs, boolean epochEnded) {
        /** @return the epoch the step belongs to (0 for the first) */
        public long epoch() {
            return completedEpochs - (epochEnded ? 1 : 0);
        }
    }

    /**
     * The figures of a completed epoch.
     *
     * @param epoch the number of completed epochs (1 after the first)
     * @param step the step that completed it
     * @param steps steps of the epoch since the loop started
     * @param images images trained in them
     * @param meanLoss the mean loss over those steps
     */
    public record Epoch(long epoch, long step, int steps, long images, double meanLoss) {}

    /**
     * Creates the loop over the rows the scheduler knows (rows stored before are not "new": they join the epochs).
     *
     * @param learner the learner to step
     * @param scheduler decides the batches (positioned where training stands)
     * @param source the stored images of the rows
     * @param rows the rows N now
     * @param completedEpochs epochs completed before (a restart)
     * @param stopAfterEpochs E, or 0 to train for ever
     * @param train false for serve-only: complete from the start, no step ever runs
     * @param stepsPerEpoch steps per epoch, or 0 for a complete pass over the rows
     */
    public EpochLoop(
            final NpidLearner learner,
            final BatchScheduler scheduler,
            final ImageSource source,
            final int rows,
            final long completedEpochs,
            final int stopAfterEpochs,
            final boolean train,
            final int stepsPerEpoch) {
        this.learner = learner;
        this.scheduler = scheduler;
        this.source = source;
        this.batchSize = learner.config().batchSize();
        this.stopAfterEpochs = stopAfterEpochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.completedEpochs = completedEpochs;
        this.rows = rows;
        this.position = scheduler.state();
        // Serve-only (train=false) is "complete" from the start: ingest and publication go on, no step runs.
        this.complete = !train || (stopAfterEpochs > 0 && completedEpochs >= stopAfterEpochs);
        if (!complete) {
            scheduler.setSize(rows);
            startLoaderWhenFull(rows);
        }
    }

    /**
     * Adds a listener, called after those added before.
     *
     * @param listener the listener
     * @return this loop
     */
    public EpochLoop addListener(final TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Hands newly ingested rows to the scheduler (trained before the epoch stream goes on).
     *
     * @param newRows the new rows
     * @param totalRows the rows N afterwards
     */
    public void rowsAdded(final int[] newRows, final int totalRows) {
        rows = totalRows;
        if (complete || newRows.length == 0) {
            return;
        }
        scheduler.addNewRows(newRows);
        startLoaderWhenFull(totalRows);
    }

    /**
     * Tells whether the input has caught up with the end of its topics (nothing polled, no lag). A set smaller
     * than a batch starts training then, and a bounded run may complete only then; a fixed set is caught up at once.
     *
     * @param now whether the input is caught up now
     */
    public void inputCaughtUp(final boolean now) {
        caughtUp = now;
        if (now && loader == null && !complete && rows >= 2) {
            startLoader();
        }
        completeIfDone();
    }

    /** @return whether a step may run: the loader runs, training is not complete nor waiting for the input to end */
    public boolean ready() {
        return loader != null && !complete && !epochsDone();
    }

    /** The bounded run's epochs are done over every row; only a quiet input is missing (or new rows arrive). */
    private boolean epochsDone() {
        return stopAfterEpochs > 0 && completedEpochs >= stopAfterEpochs && (stepsPerEpoch > 0 || lastPassRows >= rows);
    }

    /**
     * Takes one step if an augmented batch is ready within the wait, and tells the listeners.
     *
     * @param waitMs longest wait for the loader
     * @return the step, or null when no batch was ready
     * @throws InterruptedException when interrupted while waiting
     */
    public Step step(final long waitMs) throws InterruptedException {
        if (!ready()) {
            return null;
        }
        final AugmentedBatch batch = loader.poll(waitMs, TimeUnit.MILLISECONDS);
        if (batch == null) {
            return null;
        }
        final StepResult result = learner.step(batch);
        epochLoss += result.loss();
        epochSteps++;
        epochImages += batch.count();
        final boolean ended;
        if (stepsPerEpoch > 0) {
            ended = epochSteps == stepsPerEpoch;
            completedEpochs += ended ? 1 : 0;
        } else {
            // epochProgress is epoch + cursor/len: reaching the next whole number means a pass just completed.
            final long passes = Math.max(completedEpochs, (long) Math.floor(batch.epochProgress() + 1e-9));
            ended = passes > completedEpochs;
            completedEpochs = passes;
            if (ended) {
                lastPassRows = batch.passRows();
            }
        }
        position = batch.after();
        completeIfDone();
        final Step step = new Step(result, completedEpochs, ended);
        listeners.forEach(l -> l.onStep(step));
        if (ended) {
            final Epoch epoch =
                    new Epoch(completedEpochs, result.step(), epochSteps, epochImages, epochLoss / epochSteps);
            epochLoss = 0;
            epochSteps = 0;
            epochImages = 0;
            listeners.forEach(l -> l.onEpoch(epoch));
        }
        return step;
    }

    /**
     * Runs steps until the bounded run is complete (offline training: a fixed set, caught up from the start).
     *
     * @return what was done
     * @throws InterruptedException when interrupted while waiting for a batch
     * @throws IllegalStateException for an endless loop (no epoch bound)
     */
    public TrainingResult run() throws InterruptedException {
        if (stopAfterEpochs <= 0) {
            throw new IllegalStateException("run() needs a bounded number of epochs");
        }
        inputCaughtUp(true);
        while (!complete) {
            step(100);
        }
        return new TrainingResult(learner.stepCount(), completedEpochs, rows, 0);
    }

    /** @return complete epochs so far */
    public long completedEpochs() {
        return completedEpochs;
    }

    /** @return whether the configured epochs are done */
    public boolean complete() {
        return complete;
    }

    /** @return the position after the last trained batch (not the loader's, which draws ahead), for checkpoints */
    public BatchScheduler.State position() {
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
        loader = new BatchLoader(
                scheduler,
                source,
                learner.augmentation(),
                learner.config().seed(),
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
