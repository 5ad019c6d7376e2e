package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.SplitMix64;
import io.npid.trainer.data.SyntheticShapes;
import io.npid.trainer.loss.SoftmaxLoss;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The paper's proximal regularization (npid.proximal.lambda) around the softmax and NCE objectives. */
class ProximalObjectiveTest {
    private static final int ROWS = 40;
    private static final int DIM = 8;
    private static final int[] TARGETS = {3, 17, 29, 0};
    private static final float LAMBDA = 7f;
    private static final float T = 0.1f;

    private static TrainerConfig nceConfig() {
        return TrainerConfig.defaults()
                .with(Map.of(TrainerConfig.OBJECTIVE_CONFIG, "nce", TrainerConfig.NCE_K_CONFIG, "16"));
    }

    private NDManager manager;
    private MemoryBank bank;
    private NDArray targets;
    private NDArray own;

    @BeforeEach
    void fillBank() {
        manager = NDManager.newBaseManager();
        bank = new MemoryBank(manager, DIM, ROWS);
        bank.append(MemoryBank.randomRows(ROWS, DIM, new SplitMix64(5)));
        targets = manager.create(Arrays.stream(TARGETS).asLongStream().toArray());
        own = bank.rows(manager, targets);
    }

    @AfterEach
    void close() {
        bank.close();
        manager.close();
    }

    /** Unit-norm features near their own rows, differentiable. */
    private NDArray features() {
        final float[] noise = MemoryBank.randomRows(TARGETS.length, DIM, new SplitMix64(11));
        final NDArray f = own.add(manager.create(noise, new Shape(TARGETS.length, DIM)));
        final NDArray unit = f.div(f.norm(new int[] {1}, true));
        unit.setRequiresGradient(true);
        return unit;
    }

    /** lambda times the batch mean of ||f - v||^2, computed on the heap. */
    private static double penalty(final float[] f, final float[] v) {
        double sum = 0;
        for (int i = 0; i < f.length; i++) {
            sum += (f[i] - v[i]) * (f[i] - v[i]);
        }
        return LAMBDA * sum / TARGETS.length;
    }

    @Test
    void shouldAddTheTermAndItsGradientToTheSoftmaxsClosedForm() {
        final NDArray f = features();
        final InstanceObjective.Output plain = new SoftmaxObjective(T).loss(f, bank, targets, TARGETS, own, manager);
        final InstanceObjective.Output proximal =
                new ProximalObjective(new SoftmaxObjective(T), LAMBDA).loss(f, bank, targets, TARGETS, own, manager);
        final double term = penalty(f.toFloatArray(), own.toFloatArray());
        assertTrue(term > 0.1, "the features start away from their rows: " + term);
        assertEquals(plain.loss().getFloat() + term, proximal.loss().getFloat(), 1e-4);

        // the closed form against autograd of the paper's objective: softmax loss + lambda mean ||f - v||^2
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            final NDArray loss = new SoftmaxLoss(T)
                    .loss(f, bank.view(manager), targets)
                    .add(f.sub(own).square().sum(new int[] {1}).mean().mul(LAMBDA));
            collector.backward(loss);
        }
        assertArrayEquals(f.getGradient().toFloatArray(), proximal.gradient().toFloatArray(), 1e-5f);
    }

    @Test
    void shouldAddTheTermToNcesAutogradLossSoThatItsGradientPullsTowardsTheRow() {
        final NDArray f = features();
        final float plainLoss;
        // same seed, so both objectives draw the same negatives and estimate the same Z
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            final InstanceObjective.Output plain =
                    new NceObjective(nceConfig(), new SplitMix64(3)).loss(f, bank, targets, TARGETS, own, manager);
            assertEquals(null, plain.gradient(), "NCE back-propagates by autograd");
            plainLoss = plain.loss().getFloat();
            collector.backward(plain.loss());
        }
        final float[] plainGradient = f.getGradient().toFloatArray();
        // the same features again, with a gradient of their own (gradients accumulate)
        final NDArray g = features();
        final InstanceObjective.Output proximal;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            proximal = new ProximalObjective(new NceObjective(nceConfig(), new SplitMix64(3)), LAMBDA)
                    .loss(g, bank, targets, TARGETS, own, manager);
            collector.backward(proximal.loss());
        }
        final float[] ff = g.toFloatArray();
        final float[] vv = own.toFloatArray();
        assertEquals(plainLoss + penalty(ff, vv), proximal.loss().getFloat(), 1e-4);
        final float[] gradient = g.getGradient().toFloatArray();
        for (int i = 0; i < ff.length; i++) {
            final float expected = plainGradient[i] + 2 * LAMBDA * (ff[i] - vv[i]) / TARGETS.length;
            assertEquals(expected, gradient[i], 1e-4, "dL/df[" + i + "]");
        }
    }

    @Test
    void shouldAddNothingWhenTheFeaturesAreTheirRows() {
        final NDArray f = own.duplicate();
        final InstanceObjective.Output plain = new SoftmaxObjective(T).loss(f, bank, targets, TARGETS, own, manager);
        final InstanceObjective.Output proximal =
                new ProximalObjective(new SoftmaxObjective(T), 50f).loss(f, bank, targets, TARGETS, own, manager);
        assertEquals(plain.loss().getFloat(), proximal.loss().getFloat(), 0f);
        assertArrayEquals(plain.gradient().toFloatArray(), proximal.gradient().toFloatArray(), 0f);
    }

    @Test
    void shouldAddTheTermToALearnersStepLoss() {
        final List<DecodedImage> images = SyntheticShapes.generate(32, 5).images();
        final double lambda = 5;
        try (NpidLearner plain = NpidLearner.create(learnerConfig(0), 1, 28);
                NpidLearner proximal = NpidLearner.create(learnerConfig(lambda), 1, 28)) {
            final float[] start = plain.embed(images);
            assertArrayEquals(start, proximal.embed(images), "same seed, same network");
            plain.appendBankRows(start);
            proximal.appendBankRows(start);
            final StepResult without = plain.step(CyclingBatches.of(plain, images, 0, 8, 28));
            final StepResult with = proximal.step(CyclingBatches.of(proximal, images, 0, 8, 28));
            assertArrayEquals(without.newBankRows(), with.newBankRows(), "the same features and bank update");
            // the step's features from the momentum update u = normalize((v + f) / 2) of unit rows: f = 2 (u.v) u - v
            final int dim = 16;
            double term = 0;
            for (int b = 0; b < without.rows().length; b++) {
                final int row = without.rows()[b] * dim;
                double uv = 0;
                for (int d = 0; d < dim; d++) {
                    uv += without.newBankRows()[b * dim + d] * start[row + d];
                }
                for (int d = 0; d < dim; d++) {
                    final double f = 2 * uv * without.newBankRows()[b * dim + d] - start[row + d];
                    term += (f - start[row + d]) * (f - start[row + d]);
                }
            }
            term = lambda * term / without.rows().length;
            assertTrue(term > 0.01, "an augmented view is not its row: " + term);
            assertEquals(without.loss() + term, with.loss(), 1e-3 * term);
        }
    }

    private static TrainerConfig learnerConfig(final double lambda) {
        return TrainerConfig.defaults()
                .with(Map.of(
                        TrainerConfig.LOW_DIM_CONFIG, "16",
                        TrainerConfig.THREADS_CONFIG, "1",
                        TrainerConfig.DEVICE_CONFIG, "cpu",
                        TrainerConfig.BATCH_SIZE_CONFIG, "8",
                        TrainerConfig.PROXIMAL_LAMBDA_CONFIG, String.valueOf(lambda)));
    }

    @Test
    void shouldBeOffByDefaultAndRefuseANegativeLambda() {
        assertEquals(0.0, TrainerConfig.defaults().proximalLambda());
        assertEquals(
                50.0,
                TrainerConfig.defaults()
                        .with(Map.of(TrainerConfig.PROXIMAL_LAMBDA_CONFIG, "50"))
                        .proximalLambda());
        final ConfigException error = assertThrows(
                ConfigException.class,
                () -> TrainerConfig.defaults().with(Map.of(TrainerConfig.PROXIMAL_LAMBDA_CONFIG, "-1")));
        assertTrue(error.getMessage().contains(TrainerConfig.PROXIMAL_LAMBDA_CONFIG), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProximalObjective(new SoftmaxObjective(T), 0f));
    }
}
