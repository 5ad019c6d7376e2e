package io.npid.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The CPU-friendly encoder of design.md §1: five 3x3 conv+BN+ReLU layers (32, 32, pool, 64, 64, pool, 128), then a
 * {@link Head} and a linear layer to the low dimension, then L2 normalisation.
 */
public final class SmallConvNet {
    /** Side of the grid the flat head pools the last feature map to: the map of a 28x28 input. */
    public static final int FLAT_GRID = 7;

    /** How the last feature map (128 channels at a quarter of the input side) becomes one vector. */
    public enum Head {
        /** Global average pooling, as design.md §1 describes: 128 values that no longer say where a pattern was. */
        GLOBAL_AVERAGE,
        /**
         * The map pooled to a fixed 7 x 7 grid and flattened (128 x 7 x 7 whatever the input size; at 28x28 the map
         * is 7x7 and passes unpooled): keeps the layout, which is much of what tells a sandal from a sneaker;
         * measured better on Fashion-MNIST (docs/experiments.md), untrained and trained.
         */
        FLAT
    }

    private SmallConvNet() {}

    /**
     * Builds the encoder block; input channels and side are taken from the input shape at initialisation.
     *
     * @param lowDim embedding dimension (128)
     * @param head how the last feature map is reduced
     * @return the block, uninitialised
     */
    public static SequentialBlock build(final int lowDim, final Head head) {
        return build(lowDim, head, 32);
    }

    /**
     * Builds the encoder block with another width: the three stages have {@code base}, 2 x {@code base} and 4 x
     * {@code base} channels (32 for {@link #build(int, Head)}); the cost of a step grows with the square of it.
     *
     * @param lowDim embedding dimension (128)
     * @param head how the last feature map is reduced
     * @param base channels of the first stage
     * @return the block, uninitialised
     */
    public static SequentialBlock build(final int lowDim, final Head head, final int base) {
        final SequentialBlock net = new SequentialBlock();
        net.add(convBnRelu(base)).add(convBnRelu(base)).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        net.add(convBnRelu(2 * base))
                .add(convBnRelu(2 * base))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        net.add(convBnRelu(4 * base));
        if (head == Head.FLAT) {
            net.add(new GridPoolFlattenBlock(FLAT_GRID));
        } else {
            net.add(Pool.globalAvgPool2dBlock());
        }
        net.add(Linear.builder().setUnits(lowDim).build());
        net.add(new L2NormalizeBlock());
        return net;
    }

    private static SequentialBlock convBnRelu(final int filters) {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .optBias(false)
                        .setFilters(filters)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }
}
