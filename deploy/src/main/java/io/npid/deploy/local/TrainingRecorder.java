package io.npid.deploy.local;

import io.npid.deploy.report.CurvePoint;
import io.npid.trainer.stream.TrainerListener;
import io.npid.trainer.stream.TrainerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records what the trainer of a local run does: the loss of every step, epoch ends, when every image was in the
 * bank, and the accuracy probes the scenario adds; the source of the training curve and of the rates.
 *
 * <p>Trainer callbacks arrive on the training thread and probes on the scenario's; the lists are guarded by this
 * object's lock.
 */
public final class TrainingRecorder implements TrainerListener {
    private final int batchSize;
    private final int expectedRows;
    private final List<CurvePoint> points = new ArrayList<>();
    private final AtomicLong completedEpochs = new AtomicLong();
    private final AtomicLong lastStep = new AtomicLong();
    private final CountDownLatch allIngested = new CountDownLatch(1);
    private volatile long allIngestedNanos;
    private long firstStepNanos;
    private long lastStepNanos;
    private long steps;
    private int rows;

    /**
     * Creates a recorder.
     *
     * @param batchSize the trainer's batch size, to count images and epochs from steps
     * @param expectedRows how many images the run ingests
     */
    public TrainingRecorder(final int batchSize, final int expectedRows) {
        this.batchSize = batchSize;
        this.expectedRows = expectedRows;
    }

    @Override
    public synchronized void onStep(final long step, final long epoch, final float loss, final int bankRows) {
        final long now = System.nanoTime();
        if (steps == 0) {
            firstStepNanos = now;
        }
        lastStepNanos = now;
        steps++;
        rows = bankRows;
        lastStep.set(step);
        points.add(new CurvePoint(step, epochOf(step), loss, Double.NaN));
    }

    @Override
    public void onEpochEnd(final long epoch, final long step, final double meanLoss) {
        completedEpochs.set(epoch);
    }

    @Override
    public void onIngest(final int images, final int newRows, final int labels, final int bankRows) {
        noteRows(bankRows);
    }

    @Override
    public void onProgress(final TrainerStatus status) {
        noteRows(status.rows());
    }

    private void noteRows(final int bankRows) {
        if (bankRows >= expectedRows && allIngested.getCount() > 0) {
            allIngestedNanos = System.nanoTime();
            allIngested.countDown();
        }
    }

    /**
     * Adds a kNN accuracy measured by the live pipeline at the current step.
     *
     * @param accuracy top-1 accuracy in [0, 1]
     */
    public synchronized void addProbe(final double accuracy) {
        final long step = lastStep.get();
        points.add(new CurvePoint(step, epochOf(step), Double.NaN, accuracy));
    }

    /**
     * Waits until the bank holds every ingested image.
     *
     * @param timeoutSeconds how long to wait
     * @return the System.nanoTime() when it did
     * @throws InterruptedException when interrupted
     * @throws IllegalStateException when the images did not all arrive in time
     */
    public long awaitAllIngested(final long timeoutSeconds) throws InterruptedException {
        if (!allIngested.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the trainer stored " + rowsSeen() + " of " + expectedRows
                    + " images within " + timeoutSeconds + " s");
        }
        return allIngestedNanos;
    }

    /** @return epochs completed so far */
    public long completedEpochs() {
        return completedEpochs.get();
    }

    /** @return the curve so far, in the order recorded */
    public synchronized List<CurvePoint> curve() {
        return List.copyOf(points);
    }

    /** @return steps taken since the trainer started */
    public synchronized long steps() {
        return steps;
    }

    /** @return images trained on per second, from the first to the last step */
    public synchronized double trainImagesPerSecond() {
        final double seconds = (lastStepNanos - firstStepNanos) / 1e9;
        return steps < 2 || seconds <= 0 ? Double.NaN : (steps - 1) * (double) batchSize / seconds;
    }

    /** @return seconds from the first to the last step */
    public synchronized double trainSeconds() {
        return (lastStepNanos - firstStepNanos) / 1e9;
    }

    private synchronized int rowsSeen() {
        return rows;
    }

    private double epochOf(final long step) {
        final long stepsPerEpoch = Math.max(1, (expectedRows + batchSize - 1) / batchSize);
        return (double) step / stepsPerEpoch;
    }
}
