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
    /** The SmallConvNet backbone. */
    public static final String SMALL = "small";
    /** The CIFAR-style ResNet18 backbone. */
    public static final String RESNET18 = "resnet18";
    /** All known names. */
    public static final List<String> NAMES = List.of(SMALL, RESNET18);

    private Backbones() {
    }

    /**
     * Builds the encoder for a backbone name.
     *
     * @param name {@code small} or {@code resnet18}
     * @param lowDim the embedding dimension
     * @return an uninitialised block
     * @throws IllegalArgumentException for an unknown name
     */
    public static Block create(final String name, final int lowDim) {
        return switch (name) {
            case SMALL -> SmallConvNet.build(lowDim);
            case RESNET18 -> CifarResNet18.build(lowDim);
            default -> throw new IllegalArgumentException("Unknown backbone '" + name + "'; known: " + NAMES);
        };
    }
}
