package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.npid.trainer.data.SplitMix64;
import io.npid.trainer.loss.BankSimilarities;
import io.npid.trainer.loss.NceLoss;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NCE with K uniformly drawn negatives; owns the negative sampler's random state and Z.
 *
 * <p>Z is estimated from the first batch (as in the authors' code) and, streaming, again whenever the bank has grown
 * by the configured fraction since the last estimate, since Z = N * mean(exp(v.f / T)) scales with N. Optionally it
 * follows each batch's estimate as a moving average ({@code npid.nce.z.momentum}): a Z fixed while the features
 * spread out leaves the negatives' terms vanishing, so only the positive pull remains.
 *
 * <p>Negatives are drawn per sample (the paper) or, with {@code npid.nce.negatives=shared} (and with {@code auto}
 * above {@code npid.nce.shared.min.rows} bank rows, said once in the log), once per batch: each
 * sample still sees K uniform draws, so every sample's term is the same estimator, but a step gathers B + K bank rows
 * instead of B * K, which at a million rows is what the step's time goes into (random reads out of a 512 MB bank).
 */
final class NceObjective implements InstanceObjective {
    private static final Logger LOG = LoggerFactory.getLogger(NceObjective.class);
    private final NceLoss loss;
    private final SplitMix64 rng;
    private final double zGrowth;
    private final double zMomentum;
    private final String similarity;
    private final TrainerConfig config;
    private boolean sharedSaid;
    private long[] indexBuffer = new long[0];
    private double z = Double.NaN;
    private long zRows;

    NceObjective(final TrainerConfig config, final SplitMix64 rng) {
        this.loss = new NceLoss(config.nceK(), (float) config.temperature());
        this.rng = rng;
        this.zGrowth = config.nceZGrowth();
        this.zMomentum = config.nceZMomentum();
        this.similarity = config.nceSimilarity();
        this.config = config;
    }

    @Override
    public Output loss(
            final NDArray features,
            final MemoryBank bank,
            final NDArray targets,
            final int[] targetRows,
            final NDArray ownRows,
            final NDManager step) {
        final int n = bank.size();
        final int k = loss.k();
        final boolean shared = config.nceSharedNegatives(n);
        if (shared && !sharedSaid) {
            sharedSaid = true;
            LOG.info(
                    "NCE draws one set of {} negatives per batch ({} = {}, bank of {} rows)",
                    k,
                    TrainerConfig.NCE_NEGATIVES_CONFIG,
                    config.nceNegatives(),
                    n);
        }
        final NDArray sims = shared
                ? sharedSimilarities(features, bank, ownRows, n, k, step)
                : perSampleSimilarities(features, bank, targetRows, n, k, step);
        if (Double.isNaN(z) || (zGrowth > 0 && n >= zRows * (1 + zGrowth))) {
            z = loss.estimateZ(sims, n);
            zRows = n;
        } else if (zMomentum > 0) {
            z = zMomentum * z + (1 - zMomentum) * loss.estimateZ(sims, n);
        }
        return new Output(loss.loss(sims, n, z), null);
    }

    private NDArray sharedSimilarities(
            final NDArray features,
            final MemoryBank bank,
            final NDArray ownRows,
            final int n,
            final int k,
            final NDManager step) {
        if (indexBuffer.length != k) {
            indexBuffer = new long[k];
        }
        for (int j = 0; j < k; j++) {
            indexBuffer[j] = rng.nextInt(n);
        }
        final NDArray negatives = bank.rows(step, step.create(indexBuffer));
        return BankSimilarities.shared(features, ownRows, negatives);
    }

    private NDArray perSampleSimilarities(
            final NDArray features,
            final MemoryBank bank,
            final int[] targetRows,
            final int n,
            final int k,
            final NDManager step) {
        final int cols = k + 1;
        if (indexBuffer.length != targetRows.length * cols) {
            indexBuffer = new long[targetRows.length * cols];
        }
        for (int b = 0; b < targetRows.length; b++) {
            indexBuffer[b * cols] = targetRows[b];
            for (int j = 1; j < cols; j++) {
                indexBuffer[b * cols + j] = rng.nextInt(n);
            }
        }
        final NDArray idx = step.create(indexBuffer, new Shape(targetRows.length, cols));
        final boolean product = switch (similarity) {
            case "product" -> true;
            case "gather" -> false;
            default -> BankSimilarities.productIsCheaper(n, k);
        };
        if (product) {
            return BankSimilarities.byProduct(features, bank.view(step), idx);
        }
        return BankSimilarities.ofRows(
                features, bank.rows(step, idx.reshape(-1)).reshape(targetRows.length, cols, bank.dim()));
    }

    @Override
    public double z() {
        return z;
    }

    @Override
    public void write(final DataOutputStream out) throws IOException {
        out.writeDouble(z);
        out.writeLong(zRows);
    }

    @Override
    public void read(final DataInputStream in) throws IOException {
        z = in.readDouble();
        zRows = in.readLong();
    }
}
