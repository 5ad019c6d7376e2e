package io.npid.trainer.data;

import java.util.ArrayDeque;
import java.util.BitSet;

/**
 * Decides which bank rows each training batch holds: newly added rows first, otherwise shuffled epochs over every
 * row, seeded so a run is reproducible.
 *
 * <p>Epoch e is a permutation of the rows that existed when it began, drawn from (seed, e); rows added during an
 * epoch are trained on at once (the new-row queue) and join the permutation of the next epoch. A batch never holds
 * a row twice and holds at most N rows. Thread-safe: the training side adds rows while the loader thread takes
 * batches. The checkpointable state is {@link #state()}; the new-row queue is not part of it.
 */
public final class BatchScheduler {
    /** Where the epoch stream stands: epoch, position in its permutation, and the permutation's length. */
    public record State(long epoch, int cursor, int epochSize) {}

    /**
     * The rows of one batch and where it falls in the epoch stream.
     *
     * @param rows the rows
     * @param epoch the epoch (0-based)
     * @param epochProgress epochs completed including the fraction of this one
     * @param passRows when this batch completes an epoch, the rows that epoch's permutation covered (N when it was
     *     drawn); 0 otherwise
     * @param after the scheduler's position right after this batch: what a checkpoint taken once it was trained
     *     must restore (the loader draws ahead, so the scheduler's own position may be further on)
     */
    public record Batch(int[] rows, long epoch, double epochProgress, int passRows, State after) {}

    private final int batchSize;
    private final long seed;
    private final ArrayDeque<Integer> fresh = new ArrayDeque<>();
    private final BitSet inBatch = new BitSet();
    private int size;
    private long epoch;
    private int cursor;
    private int[] permutation = new int[0];
    private boolean closed;

    /**
     * Creates a scheduler with no rows.
     *
     * @param batchSize rows per batch
     * @param seed shuffling seed
     */
    public BatchScheduler(final int batchSize, final long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.epoch = -1;
    }

    /**
     * Declares rows that already exist (a restart, or an offline data set); they are not treated as new.
     *
     * @param rows the total number of rows N
     */
    public synchronized void setSize(final int rows) {
        size = Math.max(size, rows);
        notifyAll();
    }

    /**
     * Adds newly ingested rows, to be trained on before the epoch stream continues.
     *
     * @param rows the new rows (row numbers at or above the previous N)
     */
    public synchronized void addNewRows(final int[] rows) {
        for (final int row : rows) {
            fresh.add(row);
            size = Math.max(size, row + 1);
        }
        notifyAll();
    }

    /** @return the number of rows N */
    public synchronized int size() {
        return size;
    }

    /** @return the checkpointable position */
    public synchronized State state() {
        return new State(epoch, cursor, permutation.length);
    }

    /**
     * Restores a position from {@link #state()}; the permutation is redrawn from the seed.
     *
     * @param state the saved position
     */
    public synchronized void restore(final State state) {
        epoch = state.epoch();
        cursor = state.cursor();
        permutation = state.epoch() < 0 ? new int[0] : shuffled(state.epoch(), state.epochSize());
        size = Math.max(size, state.epochSize());
    }

    /** Wakes a waiting {@link #next} and makes it return null from then on. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * Returns the next batch, waiting up to {@code timeoutMs} for rows to exist.
     *
     * @param timeoutMs longest wait when there are no rows
     * @return the batch, or null on timeout or after close
     * @throws InterruptedException when interrupted while waiting
     */
    public synchronized Batch next(final long timeoutMs) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (size == 0 && !closed) {
            final long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        if (closed) {
            return null;
        }
        final int target = Math.min(batchSize, size);
        final int[] rows = new int[target];
        int filled = 0;
        while (filled < target && !fresh.isEmpty()) {
            final int row = fresh.poll();
            if (!inBatch.get(row)) {
                inBatch.set(row);
                rows[filled++] = row;
            }
        }
        int passRows = 0;
        while (filled < target) {
            if (cursor >= permutation.length) {
                if (epoch >= 0) {
                    passRows = permutation.length;
                }
                epoch++;
                permutation = shuffled(epoch, size);
                cursor = 0;
            }
            final int row = permutation[cursor++];
            if (!inBatch.get(row)) {
                inBatch.set(row);
                rows[filled++] = row;
            }
        }
        for (final int row : rows) {
            inBatch.clear(row);
        }
        final double progress =
                Math.max(0, epoch) + (permutation.length == 0 ? 0 : (double) cursor / permutation.length);
        if (cursor == permutation.length) {
            passRows = permutation.length;
        }
        return new Batch(rows, Math.max(0, epoch), progress, passRows, state());
    }

    private int[] shuffled(final long e, final int n) {
        final int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        final SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, e));
        for (int i = n - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
