package io.npid.trainer.stream;

/**
 * A snapshot of the streaming trainer's figures, as reported at the progress interval.
 *
 * @param step optimisation steps taken (continues across restarts)
 * @param epoch completed epochs
 * @param rows bank rows N (distinct image ids stored)
 * @param modelVersion version of the last published model checkpoint
 * @param imagesIngested images accepted since this trainer started (re-sent ids included)
 * @param recordsRejected records sent to dead-letters since this trainer started
 * @param recordsConsumed records read from the images and labels topics since this trainer started (good and bad;
 *     after a restart, only what was not committed before it)
 * @param trainImagesPerSecond images trained on per second over the last interval
 * @param ingestImagesPerSecond images ingested per second over the last interval
 * @param loss mean loss over the last interval's steps, NaN when no step ran
 * @param lag records behind the end of the images and labels topics as of the ingest threads' last fetches, -1
 *     when unknown; it grows while images arrive faster than ingest embeds and stores them
 * @param trainingComplete whether the configured epochs are done
 * @param timestampMs when the snapshot was taken, epoch milliseconds
 */
public record TrainerStatus(
        long step,
        long epoch,
        int rows,
        long modelVersion,
        long imagesIngested,
        long recordsRejected,
        long recordsConsumed,
        double trainImagesPerSecond,
        double ingestImagesPerSecond,
        double loss,
        long lag,
        boolean trainingComplete,
        long timestampMs) {

    /**
     * Formats the snapshot as one quiet log line.
     *
     * @return e.g. "step 1200 epoch 3 N 60000 loss 7.91 train 240.0 img/s ingest 120.0 img/s read 6000 lag 0
     *     model v4 rejected 0"; lag grows while images arrive faster than ingest stores them
     */
    public String toLogLine() {
        return String.format(
                "step %d epoch %d N %d loss %.4f train %.1f img/s ingest %.1f img/s read %d lag %s"
                        + " model v%d rejected %d%s",
                step,
                epoch,
                rows,
                loss,
                trainImagesPerSecond,
                ingestImagesPerSecond,
                recordsConsumed,
                lag < 0 ? "?" : Long.toString(lag),
                modelVersion,
                recordsRejected,
                trainingComplete ? " (training complete)" : "");
    }
}
