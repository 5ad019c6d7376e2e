package io.npid.trainer.stream;

/**
 * Counts what the trainer did since the last report and turns it into a {@link TrainerStatus} at a quiet interval.
 *
 * <p>Rates are per interval (images trained per second includes every image of every step, so it is the figure to
 * compare with the offline training benchmark). Used by the training thread only.
 */
final class ProgressMeter {
    private final long intervalMs;
    private final int batchSize;
    private long lastReportMs;
    private long stepsInInterval;
    private long ingestedInInterval;
    private double lossSum;
    private long imagesIngested;
    private long recordsRejected;
    private long recordsConsumed;

    ProgressMeter(final long intervalMs, final int batchSize, final long nowMs) {
        this.intervalMs = intervalMs;
        this.batchSize = batchSize;
        this.lastReportMs = nowMs;
    }

    void stepped(final float loss) {
        stepsInInterval++;
        lossSum += loss;
    }

    void ingested(final int records, final int images, final int rejected) {
        recordsConsumed += records;
        ingestedInInterval += images;
        imagesIngested += images;
        recordsRejected += rejected;
    }

    boolean due(final long nowMs) {
        return nowMs - lastReportMs >= intervalMs;
    }

    /**
     * Builds the status of the interval that ends now and starts a new interval.
     */
    TrainerStatus report(
            final long nowMs,
            final long step,
            final long epoch,
            final int rows,
            final long modelVersion,
            final long lag,
            final boolean complete) {
        final TrainerStatus status = snapshot(nowMs, step, epoch, rows, modelVersion, lag, complete);
        lastReportMs = nowMs;
        stepsInInterval = 0;
        ingestedInInterval = 0;
        lossSum = 0;
        return status;
    }

    /**
     * Builds the status of the interval so far without starting a new one.
     */
    TrainerStatus snapshot(
            final long nowMs,
            final long step,
            final long epoch,
            final int rows,
            final long modelVersion,
            final long lag,
            final boolean complete) {
        final double seconds = Math.max(1e-3, (nowMs - lastReportMs) / 1000.0);
        return new TrainerStatus(
                step,
                epoch,
                rows,
                modelVersion,
                imagesIngested,
                recordsRejected,
                recordsConsumed,
                stepsInInterval * batchSize / seconds,
                ingestedInInterval / seconds,
                stepsInInterval == 0 ? Double.NaN : lossSum / stepsInInterval,
                lag,
                complete,
                nowMs);
    }
}
