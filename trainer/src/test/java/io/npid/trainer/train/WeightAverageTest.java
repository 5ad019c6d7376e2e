package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.SyntheticShapes;
import io.npid.trainer.model.Backbones;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding encoder as a moving average of the trained weights (npid.ema.decay). */
class WeightAverageTest {
    private static final int SIDE = 28;
    private static final int ROWS = 32;
    private static final int BATCH = 8;

    private static TrainerConfig config(final double ema) {
        return TrainerConfig.defaults()
                .with(Map.of(
                        TrainerConfig.LOW_DIM_CONFIG, "16",
                        TrainerConfig.THREADS_CONFIG, "1",
                        TrainerConfig.DEVICE_CONFIG, "cpu",
                        TrainerConfig.BATCH_SIZE_CONFIG, String.valueOf(BATCH),
                        TrainerConfig.EMA_DECAY_CONFIG, String.valueOf(ema)));
    }

    private static List<DecodedImage> images() {
        return SyntheticShapes.generate(ROWS, 5).images();
    }

    private static void train(
            final NpidLearner learner, final List<DecodedImage> images, final int from, final int to) {
        for (int s = from; s < to; s++) {
            learner.step(CyclingBatches.of(learner, images, s, BATCH, SIDE));
        }
    }

    @Test
    void shouldMoveEachWeightTowardsTheTrainedOneWithTheRampedUpDecay() {
        final TrainerConfig config = config(0.9);
        try (NDManager manager = NDManager.newBaseManager()) {
            final Block trained = Backbones.create(config.backbone(), config.lowDim());
            trained.initialize(manager, DataType.FLOAT32, new Shape(1, 1, SIDE, SIDE));
            final WeightAverage average = new WeightAverage(0.9, config, 1, SIDE, manager, trained);
            final NDArray weight = trained.getParameters().get(0).getValue().getArray();
            final NDArray averaged =
                    average.block().getParameters().get(0).getValue().getArray();
            final float[] start = weight.toFloatArray();
            assertArrayEquals(start, averaged.toFloatArray(), "the average starts at the trained weights");
            final float[] ones = new float[start.length];
            Arrays.fill(ones, 1f);
            weight.set(ones);
            average.update();
            final double d1 = 2.0 / 11.0; // min(0.9, (1 + 1) / (10 + 1)): the first update keeps little of the start
            final float[] after = averaged.toFloatArray();
            for (int i = 0; i < start.length; i++) {
                assertEquals(d1 * start[i] + (1 - d1), after[i], 1e-5, "weight " + i + " after one update");
            }
            for (int n = 2; n <= 200; n++) {
                average.update();
            }
            assertEquals(1f, averaged.toFloatArray()[0], 1e-4f, "the average reaches a weight that stays put");
        }
    }

    @Test
    void shouldTrainAsWithoutItAndEmbedWithTheAverage() {
        final List<DecodedImage> images = images();
        try (NpidLearner plain = NpidLearner.create(config(0), 1, SIDE);
                NpidLearner averaged = NpidLearner.create(config(0.99), 1, SIDE)) {
            plain.appendBankRows(plain.embed(images));
            averaged.appendBankRows(averaged.embed(images));
            assertArrayEquals(plain.bankRows(), averaged.bankRows(), "both start from the same untrained network");
            averaged.step(CyclingBatches.of(averaged, images, 0, BATCH, SIDE));
            plain.step(CyclingBatches.of(plain, images, 0, BATCH, SIDE));
            final int arrays = averaged.liveArrayCount();
            train(plain, images, 1, 20);
            train(averaged, images, 1, 20);
            assertEquals(arrays, averaged.liveArrayCount(), "the average allocates nothing that outlives a step");
            assertArrayEquals(plain.bankRows(), averaged.bankRows(), 1e-5f, "SGD and the bank do not see the average");
            final float[] trainedRows = plain.embed(images);
            final float[] averageRows = averaged.embed(images);
            assertFalse(Arrays.equals(trainedRows, averageRows), "the average embeds, not the trained weights");
            assertFalse(Arrays.equals(plain.encoderParameters(), averaged.encoderParameters()));
        }
    }

    @Test
    void shouldResumeTheAverageAndStartOneForAStateSavedWithout(@TempDir final Path dir) throws Exception {
        final List<DecodedImage> images = images();
        try (NpidLearner learner = NpidLearner.create(config(0.99), 1, SIDE)) {
            learner.appendBankRows(learner.embed(images));
            train(learner, images, 0, 5);
            learner.save(dir.resolve("with"));
            try (NpidLearner restored = NpidLearner.load(dir.resolve("with"), config(0.99))) {
                restored.resetBank(learner.bankRows());
                assertArrayEquals(learner.encoderParameters(), restored.encoderParameters(), "the average resumes");
                train(learner, images, 5, 7);
                train(restored, images, 5, 7);
                assertArrayEquals(learner.embed(images), restored.embed(images), 1e-5f, "and moves on alike");
            }
        }
        try (NpidLearner learner = NpidLearner.create(config(0), 1, SIDE)) {
            learner.appendBankRows(learner.embed(images));
            train(learner, images, 0, 5);
            learner.save(dir.resolve("without"));
            try (NpidLearner restored = NpidLearner.load(dir.resolve("without"), config(0.99))) {
                assertArrayEquals(
                        learner.encoderParameters(),
                        restored.encoderParameters(),
                        "an average switched on at a restart starts at the trained weights");
            }
        }
    }
}
