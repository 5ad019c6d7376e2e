package io.npid.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Computes NCE's similarity matrix s[b, j] = V[idx[b, j]] · f[b] in one of two equivalent ways.
 *
 * <p>{@link #byGather} copies the B*(K+1) rows out of the bank and multiplies batch-wise: its cost grows with K, not
 * with N, so it wins for large banks. {@link #byProduct} multiplies f with the whole bank (one GEMM, B*N*D) and picks
 * the columns: with N = 60,000 and K = 4096 the GEMM is far cheaper than moving 2 GB of gathered rows per step.
 * Both are differentiable with respect to f only. {@link #shared} is the form for one set of negatives shared by the
 * whole batch: B + K rows instead of B * (K+1), one (B, D) x (D, K) product.
 */
public final class BankSimilarities {

    private BankSimilarities() {}

    /**
     * Gathers the rows, then a batched product.
     *
     * @param features (B, D) features
     * @param bank (N, D) bank view on the step's manager
     * @param idx (B, K+1) int64 row indices on the step's manager
     * @return (B, K+1) similarities on the step's manager
     */
    public static NDArray byGather(final NDArray features, final NDArray bank, final NDArray idx) {
        final long b = idx.getShape().get(0);
        final long cols = idx.getShape().get(1);
        final long dim = features.getShape().get(1);
        return ofRows(
                features,
                bank.get(idx.getManager(), new NDIndex("{}", idx.reshape(-1))).reshape(b, cols, dim));
    }

    /**
     * The batched product of {@link #byGather} on rows the caller gathered (e.g. widened from a float16 bank).
     *
     * @param features (B, D) features
     * @param rows (B, K+1, D) each sample's bank rows
     * @return (B, K+1) similarities
     */
    public static NDArray ofRows(final NDArray features, final NDArray rows) {
        final long b = rows.getShape().get(0);
        final long cols = rows.getShape().get(1);
        final long dim = features.getShape().get(1);
        return rows.batchMatMul(features.reshape(b, dim, 1)).reshape(b, cols);
    }

    /**
     * Multiplies with the whole bank, then picks the columns.
     *
     * @param features (B, D) features
     * @param bank (N, D) bank view on the step's manager
     * @param idx (B, K+1) int64 row indices
     * @return (B, K+1) similarities on the features' manager
     */
    public static NDArray byProduct(final NDArray features, final NDArray bank, final NDArray idx) {
        return features.matMul(bank.transpose()).gather(idx, 1);
    }

    /**
     * Similarities against each sample's own row and one set of negatives shared by the batch.
     *
     * <p>Equal to {@link #byGather} with every sample's index row {@code [target_b, neg_1, ..., neg_K]}.
     *
     * @param features (B, D) features
     * @param ownRows (B, D) the samples' own bank rows (the positives)
     * @param negatives (K, D) the shared negative rows
     * @return (B, K+1) similarities, column 0 the positives, on the features' manager
     */
    public static NDArray shared(final NDArray features, final NDArray ownRows, final NDArray negatives) {
        final NDArray positives = features.mul(ownRows).sum(new int[] {1}, true);
        return positives.concat(features.matMul(negatives.transpose()), 1);
    }

    /**
     * Chooses the cheaper form for a bank of {@code n} rows and {@code k} negatives.
     *
     * @param n bank rows
     * @param k negatives per sample
     * @return true when the whole-bank product should be used
     */
    public static boolean productIsCheaper(final long n, final int k) {
        // Measured on this CPU (see TrainBenchmark): a GEMM column costs about a sixteenth of a gathered row.
        return n <= 16L * (k + 1);
    }
}
