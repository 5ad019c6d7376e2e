package io.npid.trainer.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bank rows updated since the last feature publication, latest value winning, flushed as a set by time.
 *
 * <p>Flushing the whole set at most once per interval means each row is published at most once per interval
 * (the paper's bank changes a row on every step it appears in, so publishing each change would multiply the
 * traffic on {@code features} by the steps per epoch), while the newest value is never held back for longer
 * than one interval. An interval of zero publishes after every step. Not thread-safe: the training thread owns it.
 */
public final class PendingFeatures {
    private final long intervalMs;
    private final Map<Integer, Row> pending = new LinkedHashMap<>();
    private long lastFlushMs;

    /**
     * A row waiting to be published.
     *
     * @param row the bank row
     * @param vector its latest value (owned by this object)
     * @param step the learner step that produced it
     * @param modelVersion the model version current when it was produced
     */
    public record Row(int row, float[] vector, long step, long modelVersion) {}

    /**
     * Creates an empty pending set.
     *
     * @param intervalMs minimum milliseconds between two publications of the same row, >= 0
     * @param nowMs the current time, epoch milliseconds
     */
    public PendingFeatures(final long intervalMs, final long nowMs) {
        if (intervalMs < 0) {
            throw new IllegalArgumentException("Publish interval must be >= 0, got " + intervalMs);
        }
        this.intervalMs = intervalMs;
        this.lastFlushMs = nowMs;
    }

    /**
     * Records new values for some rows, replacing any pending values of the same rows.
     *
     * @param rows the rows
     * @param vectors rows.length * dim values, row-major, in the order of rows
     * @param dim the vector dimension
     * @param step the learner step that produced them
     * @param modelVersion the current model version
     */
    public void offer(
            final int[] rows, final float[] vectors, final int dim, final long step, final long modelVersion) {
        if (vectors.length != rows.length * dim) {
            throw new IllegalArgumentException(
                    "Expected " + rows.length + " x " + dim + " values, got " + vectors.length);
        }
        for (int i = 0; i < rows.length; i++) {
            final float[] vector = new float[dim];
            System.arraycopy(vectors, i * dim, vector, 0, dim);
            // Remove first so that the iteration order follows the latest update.
            pending.remove(rows[i]);
            pending.put(rows[i], new Row(rows[i], vector, step, modelVersion));
        }
    }

    /**
     * Tells whether the pending set should be published now.
     *
     * @param nowMs the current time, epoch milliseconds
     * @return true when rows are pending and the interval has passed since the last flush
     */
    public boolean due(final long nowMs) {
        return !pending.isEmpty() && intervalPassed(nowMs);
    }

    /**
     * Tells whether a whole interval has passed since the last flush, pending rows or not.
     *
     * @param nowMs the current time, epoch milliseconds
     * @return true when a flush now keeps every row within its minimum interval
     */
    public boolean intervalPassed(final long nowMs) {
        return nowMs - lastFlushMs >= intervalMs;
    }

    /**
     * Takes every pending row and starts a new interval.
     *
     * @param nowMs the current time, epoch milliseconds
     * @return the rows to publish, least recently updated first
     */
    public List<Row> drain(final long nowMs) {
        final List<Row> rows = new ArrayList<>(pending.values());
        pending.clear();
        lastFlushMs = nowMs;
        return rows;
    }

    /**
     * Returns how many rows are pending.
     *
     * @return the number of distinct rows waiting
     */
    public int size() {
        return pending.size();
    }
}
