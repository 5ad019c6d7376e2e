package io.npid.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * The momentum update of memory-bank rows: v <- normalize(m * v + (1 - m) * f).
 */
public final class BankUpdate {

    private BankUpdate() {}

    /**
     * Returns the updated rows (the features are detached, no gradient is recorded).
     *
     * @param oldRows (B, D) current bank rows, on the step's manager
     * @param features (B, D) the batch's features
     * @param momentum m in [0, 1)
     * @return (B, D) unit rows on the old rows' manager
     */
    public static NDArray apply(final NDArray oldRows, final NDArray features, final float momentum) {
        final NDArray mixed = oldRows.mul(momentum).add(features.stopGradient().mul(1f - momentum));
        return mixed.div(mixed.norm(new int[] {1}, true).maximum(1e-12f));
    }
}
