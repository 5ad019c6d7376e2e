package io.npid.trainer.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * CIFAR-style ResNet18 encoder: 3x3 stride-1 stem without max-pool, BasicBlocks [2, 2, 2, 2] with 64..512 filters,
 * global average pooling, a linear layer to the low dimension and L2 normalisation (as in the authors' code).
 */
public final class CifarResNet18 {
    private static final int[] FILTERS = {64, 128, 256, 512};

    private CifarResNet18() {}

    /**
     * Builds the encoder block; 1 or 3 input channels are taken from the input shape at initialisation.
     *
     * @param lowDim embedding dimension (128)
     * @return the block, uninitialised
     */
    public static SequentialBlock build(final int lowDim) {
        final SequentialBlock net = new SequentialBlock();
        net.add(conv(64, 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
        int inFilters = 64;
        for (int stage = 0; stage < FILTERS.length; stage++) {
            final int stride = stage == 0 ? 1 : 2;
            net.add(basicBlock(inFilters, FILTERS[stage], stride));
            net.add(basicBlock(FILTERS[stage], FILTERS[stage], 1));
            inFilters = FILTERS[stage];
        }
        net.add(Pool.globalAvgPool2dBlock());
        net.add(Linear.builder().setUnits(lowDim).build());
        net.add(new L2NormalizeBlock());
        return net;
    }

    private static Block basicBlock(final int in, final int out, final int stride) {
        final SequentialBlock main = new SequentialBlock()
                .add(conv(out, 3, stride))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(out, 3, 1))
                .add(BatchNorm.builder().build());
        final Block shortcut = stride == 1 && in == out
                ? Blocks.identityBlock()
                : new SequentialBlock()
                        .add(conv(out, 1, stride))
                        .add(BatchNorm.builder().build());
        return new SequentialBlock()
                .add(new ParallelBlock(
                        outputs -> new NDList(outputs.get(0)
                                .singletonOrThrow()
                                .add(outputs.get(1).singletonOrThrow())),
                        List.of(main, shortcut)))
                .add(Activation.reluBlock());
    }

    private static Conv2d conv(final int filters, final int kernel, final int stride) {
        final int pad = kernel / 2;
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optBias(false)
                .setFilters(filters)
                .build();
    }
}
