package io.npid.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Computes NCE's similarity matrix s[b, j] = V[idx[b, j]] · f[b] in one of two equivalent ways.
 *
 * <p>{@link #byGather} copies the B*(K+1) rows out of the bank and multiplies batch-wise: its cost grows with K, not
 * with N, so it wins for large banks. {@link #byProduct} multiplies f with the whole bank (one GEMM, B*N*D) and picks
 * the columns: with N = 60,000 and K = 4096 the GEMM is far cheaper than moving 2 GB of gathered rows per step.
 * Both are differentiable with respect to f only.
 */
public final class BankSimilarities {

    private BankSimilarities() {
    }

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
        final NDArray rows = bank.get(idx.getManager(), new NDIndex("{}", idx.reshape(-1))).reshape(b, cols, dim);
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
