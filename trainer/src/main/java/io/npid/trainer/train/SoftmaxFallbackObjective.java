package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured softmax objective: the full softmax while the bank has at most {@code npid.softmax.max.rows} rows,
 * NCE (with the npid.nce.* settings and the softmax's temperature) above.
 *
 * <p>Why: the full softmax costs O(N) per step in time and memory (two (B, N) arrays; at a million rows 1 GB and
 * most of a step), so a growing stream would slow to a crawl; NCE's cost does not grow with N. The switch is one
 * way (a bank never shrinks) and is logged once. Saved state is the softmax's (none): after a restart above the
 * threshold NCE re-estimates Z from its first batch, so checkpoints of softmax learners keep their format.
 */
final class SoftmaxFallbackObjective implements InstanceObjective {
    private static final Logger LOG = LoggerFactory.getLogger(SoftmaxFallbackObjective.class);

    private final InstanceObjective softmax;
    private final InstanceObjective nce;
    private final int maxRows;
    private boolean switched;

    SoftmaxFallbackObjective(final InstanceObjective softmax, final InstanceObjective nce, final int maxRows) {
        this.softmax = softmax;
        this.nce = nce;
        this.maxRows = maxRows;
    }

    @Override
    public Output loss(
            final NDArray features,
            final MemoryBank bank,
            final NDArray targets,
            final int[] targetRows,
            final NDArray ownRows,
            final NDManager step) {
        if (bank.size() <= maxRows) {
            return softmax.loss(features, bank, targets, targetRows, ownRows, step);
        }
        if (!switched) {
            switched = true;
            LOG.info(
                    "The bank has {} rows, more than {}={}: the softmax objective runs as NCE from now on",
                    bank.size(),
                    TrainerConfig.SOFTMAX_MAX_ROWS_CONFIG,
                    maxRows);
        }
        return nce.loss(features, bank, targets, targetRows, ownRows, step);
    }

    @Override
    public double z() {
        return switched ? nce.z() : Double.NaN;
    }

    @Override
    public void write(final DataOutputStream out) throws IOException {
        softmax.write(out);
    }

    @Override
    public void read(final DataInputStream in) throws IOException {
        softmax.read(in);
    }
}
