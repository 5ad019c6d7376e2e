package io.npid.trainer.model;

import ai.djl.nn.Block;
import java.util.List;

/**
 * Creates encoder blocks by backbone name.
 *
 * <p>To add a backbone: write a final class with a static {@code build(int lowDim)} that ends in a Linear to
 * lowDim and an {@link L2NormalizeBlock}, infers its input channels at initialisation, and add its name here.
 */
public final class Backbones {
    /** SmallConvNet with its last feature map flattened (the default: best measured on Fashion-MNIST). */
    public static final String SMALL_FLAT = "small-flat";
    /** {@link #SMALL_FLAT} 1.5 times as wide (48, 96, 192 channels): 2.5 times the step's time on a CPU. */
    public static final String SMALL_FLAT_WIDE = "small-flat-wide";
    /** SmallConvNet with global average pooling, as design.md §1 describes. */
    public static final String SMALL = "small";
    /** The CIFAR-style ResNet18 backbone. */
    public static final String RESNET18 = "resnet18";
    /** All known names. */
    public static final List<String> NAMES = List.of(SMALL_FLAT, SMALL_FLAT_WIDE, SMALL, RESNET18);

    private Backbones() {}

    /**
     * Builds the encoder for a backbone name.
     *
     * @param name one of {@link #NAMES}
     * @param lowDim the embedding dimension
     * @return an uninitialised block
     * @throws IllegalArgumentException for an unknown name
     */
    public static Block create(final String name, final int lowDim) {
        return switch (name) {
            case SMALL_FLAT -> SmallConvNet.build(lowDim, SmallConvNet.Head.FLAT);
            case SMALL_FLAT_WIDE -> SmallConvNet.build(lowDim, SmallConvNet.Head.FLAT, 48);
            case SMALL -> SmallConvNet.build(lowDim, SmallConvNet.Head.GLOBAL_AVERAGE);
            case RESNET18 -> CifarResNet18.build(lowDim);
            default -> throw new IllegalArgumentException("Unknown backbone '" + name + "'; known: " + NAMES);
        };
    }
}
