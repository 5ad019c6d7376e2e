package io.npid.trainer.checkpoint;

/**
 * How far a bank refresh had got when a checkpoint was taken, so that a restarted trainer resumes it at the next row
 * instead of starting it over (at a million rows a refresh lasts thousands of steps) or forgetting it.
 *
 * @param epoch the completed epochs whose end started the refresh
 * @param nextRow the first row not yet re-embedded (rows before it are in the checkpoint's store snapshot)
 * @param rows the rows the refresh re-embeds, 0 .. rows - 1
 */
public record RefreshProgress(long epoch, int nextRow, int rows) {
    /** Validates the positions. */
    public RefreshProgress {
        if (epoch < 0 || nextRow < 0 || nextRow >= rows) {
            throw new IllegalArgumentException(
                    "A refresh in progress needs epoch >= 0 and 0 <= nextRow < rows, got epoch " + epoch + ", nextRow "
                            + nextRow + ", rows " + rows);
        }
    }
}
