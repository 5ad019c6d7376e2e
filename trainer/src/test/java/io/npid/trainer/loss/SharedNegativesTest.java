package io.npid.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** NCE with one set of negatives per batch ({@code npid.nce.negatives=shared}). */
class SharedNegativesTest {

    /**
     * A case small enough to check by hand: B 2, D 3, N 5, K 2, T 0.5, targets 0 and 3, negatives 1 and 4, Z
     * estimated from the batch. Expected values computed in double precision by a transcription of the authors'
     * NCEAverage/NCECriterion (Python, gradient by central differences with Z held fixed).
     */
    @Test
    void shouldMatchTheHandComputedLossZAndGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            final NDArray features = manager.create(new float[] {0.6f, -0.8f, 0f, 0f, 0.6f, 0.8f}, new Shape(2, 3));
            final NDArray bank = manager.create(
                    new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0.6f, 0.8f, 0, 0, -0.6f, 0.8f}, new Shape(5, 3));
            final NDArray own = bank.get(new NDIndex("{}", manager.create(new long[] {0, 3})));
            final NDArray negatives = bank.get(new NDIndex("{}", manager.create(new long[] {1, 4})));
            features.setRequiresGradient(true);
            final NceLoss loss = new NceLoss(2, 0.5f);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                final NDArray sims = BankSimilarities.shared(features, own, negatives);
                final double z = loss.estimateZ(sims, 5);
                assertEquals(11.513496508841738, z, 1e-5, "Z");
                final NDArray value = loss.loss(sims, 5, z);
                assertEquals(1.621854470120493, value.getFloat(), 1e-5, "loss");
                collector.backward(value);
            }
            final double[] expected = {
                -0.5810851131382577,
                -0.17512787753304337,
                0.2895010835501921,
                -0.382874187243587,
                -0.2568438721706201,
                0.22034645674740005
            };
            final float[] gradient = features.getGradient().toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], gradient[i], 1e-4, "dL/df[" + i + "]");
            }
        }
    }

    @Test
    void shouldEqualThePerSampleFormWithEverySampleGivenTheSameNegatives() {
        final int b = 16;
        final int d = 32;
        final int n = 500;
        final int k = 64;
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(7);
            final NDArray features = unit(manager.randomNormal(new Shape(b, d)));
            final NDArray bank = unit(manager.randomNormal(new Shape(n, d)));
            final NDArray targets = manager.randomInteger(0, n, new Shape(b), DataType.INT64);
            final NDArray negatives = manager.randomInteger(0, n, new Shape(k), DataType.INT64);
            final NDArray idx =
                    targets.reshape(b, 1).concat(negatives.reshape(1, k).repeat(0, b), 1);
            final NDArray shared = BankSimilarities.shared(
                    features, bank.get(new NDIndex("{}", targets)), bank.get(new NDIndex("{}", negatives)));
            final NDArray gathered = BankSimilarities.byGather(features, bank, idx);
            assertArrayEquals(gathered.toFloatArray(), shared.toFloatArray(), 1e-5f);
            final NceLoss loss = new NceLoss(k, 0.07f);
            final double z = loss.estimateZ(gathered, n);
            assertEquals(loss.estimateZ(gathered, n), loss.estimateZ(shared, n), z * 1e-5);
            assertEquals(
                    loss.loss(gathered, n, z).getFloat(),
                    loss.loss(shared, n, z).getFloat(),
                    1e-4);
        }
    }

    private static NDArray unit(final NDArray x) {
        return x.div(x.norm(new int[] {1}, true));
    }
}
