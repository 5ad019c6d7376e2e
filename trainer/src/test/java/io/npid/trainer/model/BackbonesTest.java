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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BackbonesTest {

    @ParameterizedTest(name = "{0} on {1}x{2}x{2}")
    @CsvSource({"small-flat,1,28", "small-flat,3,32", "small,1,28", "small,3,32", "resnet18,1,28",
        "resnet18,3,32"})
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
    }

    private static long trainableWeights(final String backbone) {
        try (NDManager manager = NDManager.newBaseManager()) {
            final Block block = Backbones.create(backbone, 128);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
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
