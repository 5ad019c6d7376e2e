package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.SyntheticShapes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpidLearnerTest {
    private static final int SIDE = 28;
    private static final int ROWS = 48;
    private static final int BATCH = 8;

    private static TrainerConfig config(final String objective) {
        return TrainerConfig.defaults()
                .with(Map.of(
                        TrainerConfig.OBJECTIVE_CONFIG,
                        objective,
                        TrainerConfig.NCE_K_CONFIG,
                        "16",
                        TrainerConfig.LOW_DIM_CONFIG,
                        "16",
                        TrainerConfig.THREADS_CONFIG,
                        "1",
                        TrainerConfig.DEVICE_CONFIG,
                        "cpu",
                        TrainerConfig.BATCH_SIZE_CONFIG,
                        String.valueOf(BATCH)));
    }

    private static List<DecodedImage> images() {
        return SyntheticShapes.generate(ROWS, 7).images();
    }

    private static AugmentedBatch batch(final NpidLearner learner, final List<DecodedImage> images, final long step) {
        return CyclingBatches.of(learner, images.subList(0, ROWS), step, BATCH, SIDE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "nce"})
    void shouldNotGrowLiveArraysOver300Steps(final String objective) {
        final List<DecodedImage> images = images();
        // NCE at the paper's T 0.07, without colour jitter and with crops of 0.5-1 here: at the default 0.1 its loss
        // with the fixed Z on these 48 rows and K 16 rises over 300 steps (7.7 -> 9.1), with jitter (15 -> 29) and
        // with grey input's default crops of 0.85-1 (10.9 -> 13.6), which says nothing about leaks, the point here
        final TrainerConfig config = "nce".equals(objective)
                ? config(objective)
                        .with(Map.of(
                                TrainerConfig.TEMPERATURE_CONFIG,
                                "0.07",
                                TrainerConfig.COLOR_JITTER_CONFIG,
                                "0",
                                TrainerConfig.CROP_SCALE_MIN_CONFIG,
                                "0.5"))
                : config(objective);
        try (NpidLearner learner = NpidLearner.create(config, 1, SIDE)) {
            learner.appendBankRows(learner.embed(images));
            learner.step(batch(learner, images, 0));
            final int before = learner.liveArrayCount();
            float firstLoss = Float.NaN;
            float loss = Float.NaN;
            for (int s = 1; s <= 300; s++) {
                loss = learner.step(batch(learner, images, s)).loss();
                if (s == 1) {
                    firstLoss = loss;
                }
                assertTrue(Float.isFinite(loss), "loss at step " + s + " is " + loss);
            }
            assertEquals(before, learner.liveArrayCount(), "live DJL arrays before and after 300 steps");
            assertEquals(301, learner.stepCount());
            assertTrue(loss < firstLoss, "loss should fall on 48 images: first " + firstLoss + ", last " + loss);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "nce"})
    void shouldContinueIdenticallyAfterSaveAndLoad(final String objective, @TempDir final Path dir) throws Exception {
        final List<DecodedImage> images = images();
        try (NpidLearner learner = NpidLearner.create(config(objective), 1, SIDE)) {
            learner.appendBankRows(learner.embed(images));
            for (int s = 0; s < 3; s++) {
                learner.step(batch(learner, images, s));
            }
            learner.save(dir);
            final float[] bank = learner.bankRows();
            try (NpidLearner restored = NpidLearner.load(dir, config(objective))) {
                restored.resetBank(bank);
                assertEquals(3, restored.stepCount());
                assertArrayEquals(learner.encoderParameters(), restored.encoderParameters());
                final StepResult a = learner.step(batch(learner, images, 3));
                final StepResult b = restored.step(batch(restored, images, 3));
                assertEquals(a.loss(), b.loss(), 1e-5f, "loss of the next step");
                assertArrayEquals(a.newBankRows(), b.newBankRows(), 1e-5f);
                assertEquals(a.z(), b.z(), "Z after the step");
            }
        }
    }

    @Test
    void shouldKeepNceZFixedUnlessAMovingAverageIsConfigured() {
        final List<DecodedImage> images = images();
        final double[] first = new double[2];
        final double[] last = new double[2];
        final String[] momentum = {"0", "0.5"};
        for (int i = 0; i < 2; i++) {
            try (NpidLearner learner = NpidLearner.create(
                    config("nce").with(Map.of(TrainerConfig.NCE_Z_MOMENTUM_CONFIG, momentum[i])), 1, SIDE)) {
                learner.appendBankRows(learner.embed(images));
                first[i] = learner.step(batch(learner, images, 0)).z();
                for (int s = 1; s < 6; s++) {
                    last[i] = learner.step(batch(learner, images, s)).z();
                }
            }
        }
        assertTrue(first[0] > 0 && Double.isFinite(first[0]), "Z estimated on the first step: " + first[0]);
        assertEquals(first[0], last[0], "fixed Z");
        assertTrue(last[1] != first[1], "moving-average Z follows the batches: " + first[1] + " -> " + last[1]);
    }

    @Test
    void shouldTrainOnAFreshThreadWhereGradModeStartsOn() throws Exception {
        final List<DecodedImage> images = images();
        final float[] losses = new float[3];
        final Throwable[] failure = new Throwable[1];
        final Thread thread = new Thread(() -> {
            try (NpidLearner learner = NpidLearner.create(config("softmax"), 1, SIDE)) {
                learner.appendBankRows(learner.embed(images));
                for (int s = 0; s < 3; s++) {
                    losses[s] = learner.step(batch(learner, images, s)).loss();
                }
            } catch (final Throwable t) {
                failure[0] = t;
            }
        });
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw new AssertionError("training on a new thread failed", failure[0]);
        }
        for (final float loss : losses) {
            assertTrue(Float.isFinite(loss) && loss > 0, "loss " + loss);
        }
    }

    @Test
    void shouldRefuseANonFiniteBatchWithoutTouchingModelOrBank() {
        final List<DecodedImage> images = images();
        try (NpidLearner learner = NpidLearner.create(config("softmax"), 1, SIDE)) {
            learner.appendBankRows(learner.embed(images));
            final byte[] parameters = learner.encoderParameters();
            final float[] bank = learner.bankRows();
            final AugmentedBatch good = batch(learner, images, 0);
            final float[] poisoned = good.pixels().clone();
            poisoned[3] = Float.NaN;
            final IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> learner.step(new AugmentedBatch(good.rows(), poisoned, 1, SIDE, 0, 0, 0, null)));
            assertTrue(e.getMessage().contains("non-finite input"), e.getMessage());
            assertArrayEquals(parameters, learner.encoderParameters());
            assertArrayEquals(bank, learner.bankRows());
            assertEquals(0, learner.stepCount());
            assertTrue(Float.isFinite(learner.step(good).loss()), "a good batch still trains");
        }
    }

    @Test
    void shouldRejectRowsThatAreNotInTheBank() {
        final List<DecodedImage> images = images();
        try (NpidLearner learner = NpidLearner.create(config("softmax"), 1, SIDE)) {
            learner.appendBankRows(learner.embed(images.subList(0, 4)));
            final IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> learner.step(batch(learner, images, 0)));
            assertTrue(e.getMessage().contains("not in the bank"), e.getMessage());
        }
    }

    @Test
    void shouldEmbedToUnitRowsAndGrowTheBank() {
        final List<DecodedImage> images = images();
        try (NpidLearner learner = NpidLearner.create(config("softmax"), 1, SIDE)) {
            final float[] f = learner.embed(images);
            assertEquals(ROWS * 16, f.length);
            for (int r = 0; r < ROWS; r++) {
                double norm = 0;
                for (int j = 0; j < 16; j++) {
                    norm += f[r * 16 + j] * f[r * 16 + j];
                }
                assertEquals(1.0, norm, 1e-4, "row " + r);
            }
            for (int i = 0; i < 30; i++) {
                learner.appendBankRows(f);
            }
            assertEquals(30 * ROWS, learner.bankSize());
            final float[] bank = learner.bankRows();
            assertArrayEquals(
                    java.util.Arrays.copyOf(f, f.length),
                    java.util.Arrays.copyOfRange(bank, 29 * f.length, 30 * f.length));
        }
    }

    /** The streaming trainer passes npid.trainer.embed.batch.size as the batch; each row is the same whatever it is. */
    @Test
    void shouldEmbedTheSameRowsWhateverTheBatchSizeAndRefuseNone() {
        final List<DecodedImage> images = images();
        try (NpidLearner learner = NpidLearner.create(config("softmax"), 1, SIDE)) {
            final float[] whole = learner.embed(images, ROWS);
            final float[] fives = learner.embed(images, 5);
            assertEquals(ROWS * 16, whole.length);
            for (int i = 0; i < whole.length; i++) {
                assertEquals(whole[i], fives[i], 1e-5, "value " + i);
            }
            assertThrows(IllegalArgumentException.class, () -> learner.embed(images, 0));
        }
    }
}
