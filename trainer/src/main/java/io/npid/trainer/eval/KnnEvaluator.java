package io.npid.trainer.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The paper's weighted k-nearest-neighbour classifier for evaluating features: cosine similarity of each query to
 * every labelled training feature, the top k, class score = sum of exp(sim / T) over the neighbours of that class,
 * prediction = the best-scoring class (the lowest class index on a tie). Where exp(sim / T) would overflow a float
 * (T below about 0.012) a query's scores are all divided by exp(top sim / T), which leaves its vote unchanged.
 *
 * <p>Rows are L2-normalised here, so raw pixels can be evaluated too. The similarity products run as chunked GEMMs
 * on the engine's CPU device (10,000 x 60,000 x 128 in a few seconds). Use from one thread at a time.
 */
public final class KnnEvaluator {
    private static final int QUERY_CHUNK = 500;
    /** exp(x) of a float overflows above about 88.7; 200 neighbours summed need a little room below it. */
    private static final double EXP_LIMIT = 80;

    private final int k;
    private final double temperature;

    /** The outcome of an evaluation. */
    public record Result(double accuracy, int[] predictions, float[][] classScores) {}

    /**
     * Creates an evaluator.
     *
     * @param k neighbours (200 in the paper)
     * @param temperature vote temperature (0.07)
     */
    public KnnEvaluator(final int k, final double temperature) {
        if (k < 1 || !(temperature > 0)) {
            throw new IllegalArgumentException("kNN needs k >= 1 and T > 0, got k=" + k + ", T=" + temperature);
        }
        this.k = k;
        this.temperature = temperature;
    }

    /**
     * Classifies every query and measures top-1 accuracy.
     *
     * @param train training features, trainLabels.length * dim floats, row-major
     * @param trainLabels labels of the training rows, 0..numClasses-1
     * @param queries query features, queryLabels.length * dim floats
     * @param queryLabels true labels of the queries
     * @param dim feature dimension
     * @param numClasses number of classes
     * @return accuracy, predictions and class scores
     */
    public Result evaluate(
            final float[] train,
            final int[] trainLabels,
            final float[] queries,
            final int[] queryLabels,
            final int dim,
            final int numClasses) {
        final int q = queryLabels.length;
        final int kk = Math.min(k, checkedRows(train, trainLabels, queries, q, dim));
        final int[] predictions = new int[q];
        final float[][] scores = new float[q][numClasses];
        final int[] correct = new int[1];
        searchNeighbours(train, trainLabels.length, queries, q, dim, kk, (query, sims, idx, offset) -> {
            predictions[query] = vote(scores[query], sims, idx, offset, kk, trainLabels, temperature);
            if (predictions[query] == queryLabels[query]) {
                correct[0]++;
            }
        });
        return new Result(q == 0 ? 0 : (double) correct[0] / q, predictions, scores);
    }

    /**
     * Top-1 accuracy of the vote at each of several temperatures, from one neighbour search (the k nearest rows do
     * not depend on T, only their weights do).
     *
     * @param train training features, trainLabels.length * dim floats, row-major
     * @param trainLabels labels of the training rows, 0..numClasses-1
     * @param queries query features, queryLabels.length * dim floats
     * @param queryLabels true labels of the queries
     * @param dim feature dimension
     * @param numClasses number of classes
     * @param temperatures vote temperatures, each > 0
     * @return the accuracy at each temperature, in the same order
     */
    public double[] accuracies(
            final float[] train,
            final int[] trainLabels,
            final float[] queries,
            final int[] queryLabels,
            final int dim,
            final int numClasses,
            final double[] temperatures) {
        for (final double t : temperatures) {
            if (!(t > 0)) {
                throw new IllegalArgumentException("vote temperatures must be > 0, got " + t);
            }
        }
        final int q = queryLabels.length;
        final int kk = Math.min(k, checkedRows(train, trainLabels, queries, q, dim));
        final int[] correct = new int[temperatures.length];
        final float[] score = new float[numClasses];
        searchNeighbours(train, trainLabels.length, queries, q, dim, kk, (query, sims, idx, offset) -> {
            for (int t = 0; t < temperatures.length; t++) {
                Arrays.fill(score, 0);
                if (vote(score, sims, idx, offset, kk, trainLabels, temperatures[t]) == queryLabels[query]) {
                    correct[t]++;
                }
            }
        });
        final double[] out = new double[temperatures.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = q == 0 ? 0 : (double) correct[t] / q;
        }
        return out;
    }

    /** One query's k nearest training rows: similarities and row indices at [offset, offset + k). */
    private interface Neighbours {
        void accept(int query, float[] sims, long[] idx, int offset);
    }

    private static int checkedRows(
            final float[] train, final int[] trainLabels, final float[] queries, final int q, final int dim) {
        final int n = trainLabels.length;
        if (train.length != (long) n * dim || queries.length != (long) q * dim) {
            throw new IllegalArgumentException("feature arrays do not match labels x dim");
        }
        return n;
    }

    /** Finds each query's kk most cosine-similar training rows, a chunk of queries at a time. */
    private static void searchNeighbours(
            final float[] train,
            final int n,
            final float[] queries,
            final int q,
            final int dim,
            final int kk,
            final Neighbours sink) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            final NDArray trainT = manager.create(normalised(train, dim, 0, n), new Shape(n, dim))
                    .transpose();
            for (int start = 0; start < q; start += QUERY_CHUNK) {
                final int count = Math.min(QUERY_CHUNK, q - start);
                try (NDManager scratch = manager.newSubManager()) {
                    final NDArray chunk = scratch.create(normalised(queries, dim, start, count), new Shape(count, dim));
                    final NDList top = chunk.matMul(trainT).topK(kk, 1, true, true);
                    final float[] sims = top.get(0).toFloatArray();
                    final long[] idx = top.get(1).toLongArray();
                    for (int i = 0; i < count; i++) {
                        sink.accept(start + i, sims, idx, i * kk);
                    }
                }
            }
        }
    }

    /**
     * The paper's weighted vote: adds exp(sim / T) of each neighbour to its class's score (summed in float) and
     * returns the best class.
     */
    private static int vote(
            final float[] score,
            final float[] sims,
            final long[] idx,
            final int offset,
            final int kk,
            final int[] labels,
            final double temperature) {
        final double shift = kk == 0 ? 0 : shift(sims[offset], temperature);
        for (int j = 0; j < kk; j++) {
            score[labels[(int) idx[offset + j]]] += (float) Math.exp((sims[offset + j] - shift) / temperature);
        }
        int best = 0;
        for (int c = 1; c < score.length; c++) {
            if (score[c] > score[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The similarity subtracted before exp: 0 (the paper's exp(sim / T), so class scores match the reference) unless
     * the query's top similarity over T would overflow a float's exp; then the top similarity itself.
     */
    private static double shift(final float topSimilarity, final double temperature) {
        return topSimilarity / temperature > EXP_LIMIT ? topSimilarity : 0;
    }

    private static float[] normalised(final float[] rows, final int dim, final int first, final int count) {
        final float[] out = new float[count * dim];
        for (int r = 0; r < count; r++) {
            final int src = (first + r) * dim;
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                norm += (double) rows[src + j] * rows[src + j];
            }
            final float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
            for (int j = 0; j < dim; j++) {
                out[r * dim + j] = rows[src + j] * inv;
            }
        }
        return out;
    }
}
