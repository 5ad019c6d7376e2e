package io.npid.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A parameter-free block that average-pools a (batch, channels, height, width) map to a fixed grid x grid, as
 * torch's {@code adaptive_avg_pool2d} does (output cell i covers input rows floor(i*H/g) to ceil((i+1)*H/g)), and
 * flattens it to (batch, channels * grid * grid).
 *
 * <p>It makes a flattened head's size independent of the input size. A map that already is grid x grid is only
 * flattened (so a 28x28 SmallConvNet, whose last map is 7x7, is exactly the network that had a plain flatten here).
 * The pooling is two matrix products with constant averaging matrices, which every engine differentiates.
 */
public final class GridPoolFlattenBlock extends AbstractBlock {
    /**
     * Version 2, the version of DJL's LambdaBlock that {@code Blocks.batchFlattenBlock()} was: parameter files
     * written before this block existed load unchanged (a block writes only its version and input shapes).
     */
    private static final byte VERSION = 2;

    private final int grid;

    /**
     * Creates the block.
     *
     * @param grid output side, at least 1
     */
    public GridPoolFlattenBlock(final int grid) {
        super(VERSION);
        if (grid < 1) {
            throw new IllegalArgumentException("grid must be at least 1, got " + grid);
        }
        this.grid = grid;
    }

    @Override
    protected NDList forwardInternal(
            final ParameterStore parameterStore,
            final NDList inputs,
            final boolean training,
            final PairList<String, Object> params) {
        final NDArray x = inputs.singletonOrThrow();
        final Shape shape = x.getShape();
        final int h = (int) shape.get(2);
        final int w = (int) shape.get(3);
        if (h == grid && w == grid) {
            return new NDList(x.reshape(shape.get(0), -1));
        }
        final NDManager manager = x.getManager();
        final NDArray rows = manager.create(averaging(grid, h), new Shape(grid, h))
                .toType(x.getDataType(), false)
                .toDevice(x.getDevice(), false);
        final NDArray cols = manager.create(averaging(grid, w), new Shape(grid, w))
                .toType(x.getDataType(), false)
                .toDevice(x.getDevice(), false);
        // (g, H) @ (B, C, H, W) -> (B, C, g, W); then @ (W, g) -> (B, C, g, g)
        return new NDList(rows.matMul(x).matMul(cols.transpose()).reshape(shape.get(0), -1));
    }

    /**
     * The g x n matrix whose row i averages input positions floor(i*n/g) .. ceil((i+1)*n/g) - 1.
     *
     * @param g output positions
     * @param n input positions
     * @return row-major g * n weights
     */
    static float[] averaging(final int g, final int n) {
        final float[] m = new float[g * n];
        for (int i = 0; i < g; i++) {
            final int start = (int) Math.floor((double) i * n / g);
            final int end = (int) Math.ceil((double) (i + 1) * n / g);
            for (int j = start; j < end; j++) {
                m[i * n + j] = 1f / (end - start);
            }
        }
        return m;
    }

    @Override
    public Shape[] getOutputShapes(final Shape[] inputShapes) {
        final Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1) * grid * grid)};
    }
}
