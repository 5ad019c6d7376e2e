package io.npid.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.npid.trainer.golden.GoldenCase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NceLossTest {
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource({
        "nce_small.json,gather",
        "nce_small.json,product",
        "nce_fixed_z.json,gather",
        "nce_fixed_z.json,product",
        "nce_128d.json,gather",
        "nce_128d.json,product"
    })
    void shouldMatchGoldenProbabilitiesLossGradientAndBankUpdate(final String file, final String form) {
        final GoldenCase golden = GoldenCase.load(file);
        final int b = golden.integer("batch");
        final int d = golden.integer("dim");
        final int n = golden.integer("n");
        final int k = golden.integer("k");
        try (NDManager manager = NDManager.newBaseManager()) {
            final NDArray features = manager.create(golden.floats("features"), new Shape(b, d));
            final NDArray bank = manager.create(golden.floats("bank"), new Shape(n, d));
            final NDArray idx = manager.create(golden.longs("idx"), new Shape(b, k + 1));
            features.setRequiresGradient(true);
            final NceLoss loss = new NceLoss(k, (float) golden.number("temperature"));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                final NDArray sims = "gather".equals(form)
                        ? BankSimilarities.byGather(features, bank, idx)
                        : BankSimilarities.byProduct(features, bank, idx);
                final double zEstimate = loss.estimateZ(sims, n);
                assertEquals(
                        golden.number("z_estimated"),
                        zEstimate,
                        golden.number("z_estimated") * TOLERANCE,
                        "Z estimate");
                final double z = golden.isNull("z_given") ? zEstimate : golden.number("z_given");
                assertRelative(
                        loss.probabilities(sims, z).toFloatArray(), golden.doubles("probabilities"), "probabilities");
                final NDArray value = loss.loss(sims, n, z);
                assertEquals(
                        golden.number("loss"), value.getFloat(), Math.abs(golden.number("loss")) * TOLERANCE, "loss");
                collector.backward(value);
            }
            assertRelative(features.getGradient().toFloatArray(), golden.doubles("grad_features"), "grad wrt f");
            final NDArray targets = manager.create(golden.longs("targets"));
            final NDArray updated =
                    BankUpdate.apply(bank.get(new ai.djl.ndarray.index.NDIndex("{}", targets)), features, (float)
                            golden.number("momentum"));
            assertRelative(updated.toFloatArray(), golden.doubles("bank_rows_after_update"), "bank rows");
        }
    }

    static void assertRelative(final float[] actual, final double[] expected, final String what) {
        final double error = GoldenCase.relativeError(actual, expected);
        assertTrue(error <= TOLERANCE, what + ": relative error " + error + " > " + TOLERANCE);
    }
}
