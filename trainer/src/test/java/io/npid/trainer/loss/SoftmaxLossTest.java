package io.npid.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.npid.trainer.golden.GoldenCase;
import org.junit.jupiter.api.Test;

class SoftmaxLossTest {

    @Test
    void shouldMatchGoldenLossGradientAndBankUpdate() {
        final GoldenCase golden = GoldenCase.load("softmax_small.json");
        final int b = golden.integer("batch");
        final int d = golden.integer("dim");
        final int n = golden.integer("n");
        try (NDManager manager = NDManager.newBaseManager()) {
            final NDArray features = manager.create(golden.floats("features"), new Shape(b, d));
            final NDArray bank = manager.create(golden.floats("bank"), new Shape(n, d));
            final NDArray targets = manager.create(golden.longs("targets"));
            features.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                final NDArray loss =
                        new SoftmaxLoss((float) golden.number("temperature")).loss(features, bank, targets);
                assertEquals(golden.number("loss"), loss.getFloat(), golden.number("loss") * 1e-5, "loss");
                collector.backward(loss);
            }
            NceLossTest.assertRelative(
                    features.getGradient().toFloatArray(), golden.doubles("grad_features"), "grad wrt f");
            final SoftmaxLoss.LossAndGradient closed = new SoftmaxLoss((float) golden.number("temperature"))
                    .lossAndGradient(features, bank, targets, bank.get(new NDIndex("{}", targets)));
            assertEquals(
                    golden.number("loss"), closed.loss().getFloat(), golden.number("loss") * 1e-5, "closed-form loss");
            NceLossTest.assertRelative(
                    closed.gradient().toFloatArray(), golden.doubles("grad_features"), "closed-form grad wrt f");
            final NDArray updated =
                    BankUpdate.apply(bank.get(new NDIndex("{}", targets)), features, (float) golden.number("momentum"));
            NceLossTest.assertRelative(updated.toFloatArray(), golden.doubles("bank_rows_after_update"), "bank rows");
        }
    }
}
