package io.npid.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * The paper's NCE loss of instance discrimination against a memory bank, with the normalising constant Z.
 *
 * <p>Input is the similarity matrix s = v_idx · f of shape (B, K+1), column 0 the sample's own bank row (the
 * positive) and columns 1..K uniformly drawn negatives. With P = exp(s / T) / Z and Pn = 1/N:
 * {@code loss = -(sum_b log(P0 / (P0 + K/N + eps)) + sum_b sum_j log((K/N) / (Pj + K/N + eps))) / B}, eps = 1e-7,
 * exactly as the authors' NCECriterion. Z is a constant (no gradient flows into it): when unknown it is estimated as
 * N * mean(exp(s / T)) over the batch it first sees (the positives and the negatives), as in the authors' code.
 * Gradient flows into f only; the bank is never a parameter.
 */
public final class NceLoss {
    /** The eps of the authors' NCECriterion. */
    public static final float EPS = 1e-7f;

    private final int k;
    private final float temperature;

    /**
     * Creates the loss.
     *
     * @param k number of negatives per sample
     * @param temperature T
     */
    public NceLoss(final int k, final float temperature) {
        if (k < 1 || !(temperature > 0)) {
            throw new IllegalArgumentException("NCE needs k >= 1 and T > 0, got k=" + k + ", T=" + temperature);
        }
        this.k = k;
        this.temperature = temperature;
    }

    /**
     * Returns the number of negatives.
     *
     * @return K
     */
    public int k() {
        return k;
    }

    /**
     * Estimates Z = N * mean(exp(s / T)) from a batch's similarities (no gradient).
     *
     * @param similarities (B, K+1) similarities
     * @param n bank size N
     * @return the estimate
     */
    public double estimateZ(final NDArray similarities, final long n) {
        try (NDArray e = similarities.stopGradient().div(temperature).exp();
                NDArray mean = e.mean()) {
            return mean.getFloat() * (double) n;
        }
    }

    /**
     * Returns the probabilities P = exp(s / T) / Z.
     *
     * @param similarities (B, K+1)
     * @param z the normalising constant
     * @return (B, K+1) probabilities, on the similarities' manager
     */
    public NDArray probabilities(final NDArray similarities, final double z) {
        return similarities.div(temperature).exp().div((float) z);
    }

    /**
     * Computes the scalar loss, differentiable with respect to whatever the similarities depend on.
     *
     * @param similarities (B, K+1) similarities, column 0 the positives
     * @param n bank size N (the noise distribution is uniform, Pn = 1/N)
     * @param z the normalising constant (use {@link #estimateZ} when unknown)
     * @return the loss (scalar), on the similarities' manager
     */
    public NDArray loss(final NDArray similarities, final long n, final double z) {
        final NDManager manager = similarities.getManager();
        final float noise = (float) ((double) k / n);
        final NDArray p = probabilities(similarities, z);
        final long batch = similarities.getShape().get(0);
        final NDArray positive = p.get(new NDIndex(":, 0:1"));
        final NDArray negatives = p.get(new NDIndex(":, 1:"));
        // log h(pos) = log P0 - log(P0 + K/N + eps), with log P0 = s0 / T - log Z taken directly (no underflow)
        final NDArray logPos = similarities
                .get(new NDIndex(":, 0:1"))
                .div(temperature)
                .sub((float) Math.log(z))
                .sub(positive.add(noise + EPS).log());
        // log(1 - h(neg)) = log(K/N) - log(Pj + K/N + eps)
        final NDArray logNeg = negatives.add(noise + EPS).log().neg().add((float) Math.log(noise));
        final NDArray total = logPos.sum().add(logNeg.sum());
        final NDArray result = total.neg().div((float) batch);
        assert result.getManager() == manager;
        return result;
    }
}
