package io.npid.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A parameter-free block that scales each row of a (batch, dim) input to unit L2 norm, as torch's F.normalize does
 * (the norm is clamped below at 1e-12 so a zero row stays finite).
 */
public final class L2NormalizeBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    /** Creates the block. */
    public L2NormalizeBlock() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(
            final ParameterStore parameterStore,
            final NDList inputs,
            final boolean training,
            final PairList<String, Object> params) {
        final NDArray x = inputs.singletonOrThrow();
        return new NDList(x.div(x.norm(new int[] {1}, true).maximum(1e-12f)));
    }

    @Override
    public Shape[] getOutputShapes(final Shape[] inputShapes) {
        return inputShapes;
    }
}
