package io.npid.trainer.stream;

import io.npid.trainer.train.EpochLoop;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of the streaming trainer: counts steps and ingests ({@link ProgressMeter}), tells the trainer's listener
 * of each step, logs and reports the figures
 * at the progress interval ({@code npid.trainer.progress.interval.ms}) and keeps the latest status for other
 * threads.
 */
final class ProgressListener implements LoopListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);

    private final ProgressMeter meter;
    private final TrainerListener listener;
    private final Supplier<Figures> figures;
    private volatile TrainerStatus status;

    /**
     * The loop's figures at one moment.
     *
     * @param step the learner's steps
     * @param epoch completed epochs
     * @param rows bank rows N
     * @param modelVersion the current model version
     * @param lag records behind the input's end, -1 when unknown
     * @param complete whether training is complete
     */
    record Figures(long step, long epoch, int rows, long modelVersion, long lag, boolean complete) {}

    /**
     * @param meter counts what the trainer does
     * @param listener gets the reports
     * @param figures the loop's figures now
     */
    ProgressListener(final ProgressMeter meter, final TrainerListener listener, final Supplier<Figures> figures) {
        this.meter = meter;
        this.listener = listener;
        this.figures = figures;
    }

    @Override
    public void onStep(final EpochLoop.Step step) {
        meter.stepped(step.result().loss());
        // the trainer's listener hears of the step after every other listener handled it
        listener.onStep(
                step.result().step(),
                step.epoch(),
                step.result().loss(),
                figures.get().rows());
    }

    /**
     * Counts an ingest.
     *
     * @param result what it did
     */
    void ingested(final Ingestor.Result result) {
        meter.ingested(result.records(), result.images(), result.rejections().size());
    }

    @Override
    public void onIteration(final long nowMs) {
        if (meter.due(nowMs)) {
            final Figures f = figures.get();
            final TrainerStatus report =
                    meter.report(nowMs, f.step(), f.epoch(), f.rows(), f.modelVersion(), f.lag(), f.complete());
            LOG.info("Trainer: {}", report.toLogLine());
            listener.onProgress(report);
        }
        status = snapshot(nowMs, false);
    }

    /**
     * Takes a snapshot of the figures now.
     *
     * @param nowMs the current time
     * @param complete true to call training complete whatever the loop says (the moment it completes)
     * @return the status
     */
    TrainerStatus snapshot(final long nowMs, final boolean complete) {
        final Figures f = figures.get();
        final TrainerStatus snapshot = meter.snapshot(
                nowMs, f.step(), f.epoch(), f.rows(), f.modelVersion(), f.lag(), f.complete() || complete);
        status = snapshot;
        return snapshot;
    }

    /** @return the latest status (thread-safe) */
    TrainerStatus status() {
        return status;
    }
}
