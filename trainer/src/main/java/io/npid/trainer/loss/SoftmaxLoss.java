package io.npid.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * The full non-parametric softmax: logits f · Vᵀ / T over the whole bank, cross-entropy with the sample's own row.
 *
 * <p>Gradient flows into f only (the bank is not a parameter). {@link #loss} is differentiable by autograd;
 * {@link #lossAndGradient} computes the same loss and its gradient in closed form,
 * dL/df = (softmax(f Vᵀ / T) · V - V[target]) / (T B), which needs two (B, N) arrays instead of autograd's six —
 * with N = 60,000 each is 30 MB, so this is what the learner uses.
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

    /**
     * The loss and its gradient with respect to the features, in closed form (no autograd graph).
     *
     * @param loss the scalar loss
     * @param gradient (B, D) dL/df
     */
    public record LossAndGradient(NDArray loss, NDArray gradient) {}

    /**
     * Computes the mean cross-entropy and dL/df without recording an autograd graph.
     *
     * @param features (B, D) features (detached here)
     * @param bank (N, D) bank view on the step's manager
     * @param targets (B) int64 own rows
     * @param ownRows (B, D) the bank rows of the targets (bank[targets]), on the step's manager
     * @return loss and gradient, on the features' manager
     */
    public LossAndGradient lossAndGradient(
            final NDArray features, final NDArray bank, final NDArray targets, final NDArray ownRows) {
        final long batch = features.getShape().get(0);
        final NDArray probabilities = features.stopGradient()
                .mul(1f / temperature)
                .matMul(bank.transpose())
                .softmax(1);
        final NDArray own = probabilities.gather(targets.reshape(-1, 1), 1);
        final NDArray loss = own.maximum(Float.MIN_NORMAL).log().mean().neg();
        final NDArray gradient = probabilities.matMul(bank).sub(ownRows).mul(1f / (temperature * batch));
        return new LossAndGradient(loss, gradient);
    }
}
