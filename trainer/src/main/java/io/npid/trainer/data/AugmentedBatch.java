package io.npid.trainer.data;

/**
 * A batch ready for the engine: bank rows and their augmented views as one float NCHW block.
 *
 * @param rows the bank rows of the images, in batch order
 * @param pixels rows.length * channels * size * size floats, NCHW, normalised
 * @param channels image channels
 * @param size image side
 * @param epoch the epoch the batch belongs to (0-based)
 * @param epochProgress epochs completed including the fraction of this one, for learning-rate schedules
 * @param passRows when the batch completes an epoch, the rows that epoch covered (the bank's N when it began); 0
 *     otherwise
 * @param after the scheduler's position right after this batch, to checkpoint once it is trained (null when the
 *     batch did not come from a scheduler)
 */
public record AugmentedBatch(
        int[] rows,
        float[] pixels,
        int channels,
        int size,
        long epoch,
        double epochProgress,
        int passRows,
        BatchScheduler.State after) {

    /** Checks the pixel count. */
    public AugmentedBatch {
        if (pixels.length < (long) rows.length * channels * size * size) {
            throw new IllegalArgumentException("pixel block too small for " + rows.length + " images");
        }
    }

    /**
     * Returns the number of images.
     *
     * @return rows.length
     */
    public int count() {
        return rows.length;
    }
}
