package io.npid.trainer.stream;

import io.npid.trainer.checkpoint.RefreshProgress;
import io.npid.trainer.data.ImageSource;
import io.npid.trainer.train.NpidLearner;
import java.util.function.IntUnaryOperator;

/**
 * Re-embeds every bank row with the current model after every E-th epoch ({@code npid.bank.refresh.epochs}), one
 * slice of rows per loop iteration so that ingest and publication go on meanwhile.
 *
 * <p>Why: momentum-updated rows mix features of many older models and of augmented views, so between refreshes
 * the bank answers kNN queries worse than the model could, and training against stale rows learns more slowly
 * (docs/experiments.md). Rows ingested during a refresh are embedded by the same model at ingest. Used by the
 * training thread only.
 *
 * <p>A refresh of at most {@code npid.bank.refresh.pause.rows} rows pauses training (no step runs while it is active,
 * so the bank ends up one model's features). A larger one would pause training for many minutes (a million rows is
 * a million forward passes), so it is spread: {@link #pausesTraining} is false, a slice runs after each step, sized
 * so that the refresh ends within {@code npid.bank.refresh.spread.epochs} epochs of steps
 * ({@link io.npid.trainer.train.TrainerConfig#bankRefreshSliceRows}; 2 x batch rows at the default 0.5), and the
 * slices embed with a snapshot of the encoder taken at the start, so every refreshed row is what a paused refresh
 * would have written; steps meanwhile update rows by momentum as usual.
 *
 * <p>Its {@link #progress} goes into every checkpoint; a restarted trainer {@link #resume}s from the saved row with
 * the restored model (for a spread refresh, a snapshot of it), since the model of the refresh's start is not kept.
 */
final class BankRefresh {
    /** Rows per slice: about a second of forward passes on one core, so polls stay frequent. */
    static final int SLICE_ROWS = 1024;

    private final NpidLearner learner;
    private final ImageSource source;
    private final int everyEpochs;
    private final int pauseRows;
    private final IntUnaryOperator spreadSliceRows;
    private boolean spread;
    private int sliceRows;
    private long epoch;
    private int next = -1;
    private int end;
    private long startedNanos;

    /**
     * Rows rewritten by one slice.
     *
     * @param rows the consecutive rows
     * @param vectors their new vectors, rows.length * dimension floats
     * @param last whether this slice finished the refresh
     */
    record Slice(int[] rows, float[] vectors, boolean last) {}

    BankRefresh(final NpidLearner learner, final ImageSource source, final int everyEpochs) {
        this(
                learner,
                source,
                everyEpochs,
                learner.config().bankRefreshPauseRows(),
                learner.config()::bankRefreshSliceRows);
    }

    /**
     * @param pauseRows largest refresh that pauses training
     * @param spreadSliceRows rows per slice of a spread refresh of the given rows
     */
    BankRefresh(
            final NpidLearner learner,
            final ImageSource source,
            final int everyEpochs,
            final int pauseRows,
            final IntUnaryOperator spreadSliceRows) {
        this.learner = learner;
        this.source = source;
        this.everyEpochs = everyEpochs;
        this.pauseRows = pauseRows;
        this.spreadSliceRows = spreadSliceRows;
    }

    /**
     * Starts a refresh of rows 0 .. rows - 1 if the epoch just completed is one of every E-th.
     *
     * @param completedEpochs complete passes so far
     * @param rows the bank's rows now
     * @return whether a refresh started
     */
    boolean startIfDue(final long completedEpochs, final int rows) {
        if (everyEpochs <= 0 || completedEpochs % everyEpochs != 0 || rows == 0 || active()) {
            // a spread refresh still running when the next one is due simply continues
            return false;
        }
        begin(completedEpochs, 0, rows);
        return true;
    }

    /**
     * Resumes the refresh a checkpoint was taken in, at its next row, with the current (restored) model.
     *
     * @param progress the checkpoint's refresh
     * @param bankRows the bank's rows now (at least the refresh's, as the bank comes from the same checkpoint)
     * @throws IllegalStateException when a refresh is active or the bank is smaller than the refresh
     */
    void resume(final RefreshProgress progress, final int bankRows) {
        if (active()) {
            throw new IllegalStateException("a bank refresh is already in progress");
        }
        if (progress.rows() > bankRows) {
            throw new IllegalStateException(
                    "The checkpoint's refresh covers " + progress.rows() + " rows but the bank has " + bankRows);
        }
        begin(progress.epoch(), progress.nextRow(), progress.rows());
    }

    private void begin(final long completedEpochs, final int first, final int rows) {
        epoch = completedEpochs;
        next = first;
        end = rows;
        spread = rows > pauseRows;
        sliceRows = spread ? Math.max(1, spreadSliceRows.applyAsInt(rows)) : SLICE_ROWS;
        if (spread) {
            learner.freezeEncoder();
        }
        startedNanos = System.nanoTime();
    }

    /** @return the refresh in progress, as a checkpoint records it, or null when none is */
    RefreshProgress progress() {
        return active() ? new RefreshProgress(epoch, next, end) : null;
    }

    /** @return rows per slice of the current or last refresh */
    int sliceRows() {
        return sliceRows;
    }

    /** @return whether a refresh is in progress */
    boolean active() {
        return next >= 0;
    }

    /** @return whether a refresh is in progress that steps must wait for (a paused, not a spread one) */
    boolean pausesTraining() {
        return active() && !spread;
    }

    /** @return seconds since the current or last refresh started */
    double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** @return rows of the current or last refresh */
    int rows() {
        return end;
    }

    /**
     * Re-embeds the next slice into the learner's bank.
     *
     * @return the rows and vectors to write to the store and publish
     * @throws IllegalStateException when no refresh is active
     */
    Slice runSlice() {
        if (!active()) {
            throw new IllegalStateException("no bank refresh in progress");
        }
        final int count = Math.min(sliceRows, end - next);
        final int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
            rows[i] = next + i;
        }
        final float[] vectors = spread
                ? learner.refreshBankRowsFrozen(next, source.images(rows))
                : learner.refreshBankRows(next, source.images(rows));
        next += count;
        final boolean last = next >= end;
        if (last) {
            next = -1;
            if (spread) {
                learner.releaseFrozenEncoder();
            }
        }
        return new Slice(rows, vectors, last);
    }
}
