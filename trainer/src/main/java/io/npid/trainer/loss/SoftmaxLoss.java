package io.npid.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * The full non-parametric softmax: logits f · Vᵀ / T over the whole bank, cross-entropy with the sample's own row.
 *
 * <p>Gradient flows into f only (the bank is not a parameter).
 */
public final class SoftmaxLoss {
    private final float temperature;

    /**
     * Creates the loss.
     *
     * @param temperature T (0.1 by default in npid-stream)
     */
    public SoftmaxLoss(final float temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("Softmax temperature must be > 0, got " + temperature);
        }
        this.temperature = temperature;
    }

    /**
     * Computes the mean cross-entropy.
     *
     * @param features (B, D) features f, on the step's manager
     * @param bank (N, D) bank rows V (a view on the step's manager)
     * @param targets (B) int64 bank rows of the samples themselves
     * @return the loss (scalar), on the features' manager
     */
    public NDArray loss(final NDArray features, final NDArray bank, final NDArray targets) {
        final NDArray logits = features.matMul(bank.transpose()).div(temperature);
        final NDArray logProb = logits.logSoftmax(1);
        final NDArray picked = logProb.gather(targets.reshape(-1, 1), 1);
        return picked.mean().neg();
    }
}
