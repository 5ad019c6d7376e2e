package io.npid.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackbonesTest {

    @ParameterizedTest(name = "{0} on {1}x{2}x{2}")
    @CsvSource({
        "small-flat,1,28",
        "small-flat,3,32",
        "small-flat,3,37",
        "small-flat,3,64",
        "small-flat-wide,1,28",
        "small-flat-wide,3,32",
        "small,1,28",
        "small,3,32",
        "resnet18,1,28",
        "resnet18,3,32"
    })
    void shouldProduceUnitEmbeddingsOfTheLowDimension(final String backbone, final int channels, final int side) {
        try (NDManager manager = NDManager.newBaseManager()) {
            final Block block = Backbones.create(backbone, 128);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, side, side));
            final NDArray x = manager.randomNormal(new Shape(2, channels, side, side));
            final NDArray f = block.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow();
            assertEquals(new Shape(2, 128), f.getShape());
            assertArrayEquals(new float[] {1f, 1f}, f.norm(new int[] {1}).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void shouldCountSmallConvNetParametersAsDesigned() {
        // convs 9*(1*32 + 32*32 + 32*64 + 64*64 + 64*128), BN 2*(32+32+64+64+128)
        final long body = 9L * (32 + 32 * 32 + 32 * 64 + 64 * 64 + 64 * 128) + 2L * (32 + 32 + 64 + 64 + 128);
        // global average pooling leaves 128 values for the linear layer; the flat head 128 x 7 x 7
        assertEquals(body + 128 * 128 + 128, trainableWeights(Backbones.SMALL));
        assertEquals(body + 128 * 7 * 7 * 128 + 128, trainableWeights(Backbones.SMALL_FLAT));
        // 1.5 times as wide: 48, 96 and 192 channels, and a 192 x 7 x 7 flat head
        final long wide = 9L * (48 + 48 * 48 + 48 * 96 + 96 * 96 + 96 * 192) + 2L * (48 + 48 + 96 + 96 + 192);
        assertEquals(wide + 192 * 7 * 7 * 128 + 128, trainableWeights(Backbones.SMALL_FLAT_WIDE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"small-flat", "small-flat-wide", "small", "resnet18"})
    void shouldHaveAParameterCountIndependentOfTheInputSize(final String backbone) {
        final long at28 = trainableWeights(backbone, 1, 28);
        for (final int side : new int[] {32, 48, 64, 96}) {
            assertEquals(
                    at28 + (trainableWeights(backbone, 3, side) - trainableWeights(backbone, 3, 28)),
                    trainableWeights(backbone, 1, side),
                    backbone + " grey at " + side);
            assertEquals(
                    trainableWeights(backbone, 3, 28),
                    trainableWeights(backbone, 3, side),
                    backbone + " RGB at " + side);
        }
        assertEquals(at28, trainableWeights(backbone, 1, 96));
    }

    @Test
    void shouldLoadParametersWrittenBeforeTheFlatHeadPooledAndComputeTheSameEmbedding() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            final Block plainFlatten = plainFlattenSmallConvNet();
            plainFlatten.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            plainFlatten.saveParameters(new java.io.DataOutputStream(bytes));

            final Block pooled = Backbones.create(Backbones.SMALL_FLAT, 128);
            pooled.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            EncoderForward.loadParameters(pooled, manager, bytes.toByteArray());

            final NDArray x = manager.randomNormal(new Shape(3, 1, 28, 28));
            final ParameterStore store = new ParameterStore(manager, false);
            assertArrayEquals(
                    plainFlatten
                            .forward(store, new NDList(x), false)
                            .singletonOrThrow()
                            .toFloatArray(),
                    pooled.forward(store, new NDList(x), false)
                            .singletonOrThrow()
                            .toFloatArray(),
                    0f,
                    "at 28x28 the 7x7 map is only flattened");
        }
    }

    @Test
    void shouldAveragePoolAnEightByEightMapToSevenBySevenAsAdaptivePoolingDoes() {
        // torch: adaptive_avg_pool2d over 8 -> 7 averages positions [i*8/7 floor, (i+1)*8/7 ceil): pairs
        final float[] m = GridPoolFlattenBlock.averaging(7, 8);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(j == i || j == i + 1 ? 0.5f : 0f, m[i * 8 + j], "row " + i + " col " + j);
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            final NDArray map = manager.arange(64f).reshape(1, 1, 8, 8);
            final float[] pooled = new GridPoolFlattenBlock(7)
                    .forward(new ParameterStore(manager, false), new NDList(map), false)
                    .singletonOrThrow()
                    .toFloatArray();
            assertEquals(49, pooled.length);
            // cell (0, 0) = mean of values 0, 1, 8, 9; cell (6, 6) = mean of 54, 55, 62, 63
            assertEquals(4.5f, pooled[0], 1e-6f);
            assertEquals(58.5f, pooled[48], 1e-6f);
        }
    }

    /** SmallConvNet's flat head as it was built before the grid pooling: a plain batch flatten. */
    private static Block plainFlattenSmallConvNet() {
        final ai.djl.nn.SequentialBlock reference = new ai.djl.nn.SequentialBlock();
        final ai.djl.nn.SequentialBlock current = SmallConvNet.build(128, SmallConvNet.Head.FLAT);
        for (final var child : current.getChildren()) {
            reference.add(
                    child.getValue() instanceof GridPoolFlattenBlock
                            ? ai.djl.nn.Blocks.batchFlattenBlock()
                            : child.getValue());
        }
        return reference;
    }

    private static long trainableWeights(final String backbone) {
        return trainableWeights(backbone, 1, 28);
    }

    private static long trainableWeights(final String backbone, final int channels, final int side) {
        try (NDManager manager = NDManager.newBaseManager()) {
            final Block block = Backbones.create(backbone, 128);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, side, side));
            long weights = 0;
            for (final var p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    weights += p.getValue().getArray().size();
                }
            }
            return weights;
        }
    }

    @Test
    void shouldRejectUnknownBackbone() {
        assertThrows(IllegalArgumentException.class, () -> Backbones.create("vgg", 128));
    }
}
