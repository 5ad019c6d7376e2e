package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.data.BatchScheduler;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.InMemoryImageSource;
import io.npid.trainer.data.SyntheticShapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one epoch loop: epochs by steps (offline) or by passes (streaming), listeners told in order, a result. */
class EpochLoopTest {
    private static final int ROWS = 20;
    private static final int BATCH = 8;

    private static NpidLearner learner(final List<DecodedImage> images) {
        final NpidLearner learner = NpidLearner.create(
                TrainerConfig.defaults()
                        .with(Map.of(
                                TrainerConfig.LOW_DIM_CONFIG,
                                "16",
                                TrainerConfig.THREADS_CONFIG,
                                "1",
                                TrainerConfig.DEVICE_CONFIG,
                                "cpu",
                                TrainerConfig.BATCH_SIZE_CONFIG,
                                String.valueOf(BATCH))),
                1,
                28);
        learner.appendBankRows(learner.embed(images));
        return learner;
    }

    /** Records what it hears, prefixed by its name. */
    private record Recorder(String name, List<String> calls) implements TrainingListener {
        @Override
        public void onStep(final EpochLoop.Step step) {
            calls.add(name + " step " + step.result().step() + " of epoch " + step.epoch());
        }

        @Override
        public void onEpoch(final EpochLoop.Epoch epoch) {
            calls.add(name + " epoch " + epoch.epoch() + " at step " + epoch.step() + ": " + epoch.steps() + " steps, "
                    + epoch.images() + " images");
        }
    }

    @Test
    void shouldEndAnEpochEveryStepsPerEpochAndTellTheListenersInOrder() throws InterruptedException {
        final List<DecodedImage> images = SyntheticShapes.generate(ROWS, 3).images();
        final List<String> calls = new ArrayList<>();
        try (NpidLearner learner = learner(images);
                EpochLoop loop = new EpochLoop(
                        learner, new BatchScheduler(BATCH, 5), new InMemoryImageSource(images), ROWS, 0, 2, true, 2)) {
            loop.addListener(new Recorder("a", calls)).addListener(new Recorder("b", calls));
            final TrainingResult result = loop.run();
            assertEquals(new TrainingResult(4, 2, ROWS, 0), result);
            assertTrue(loop.complete());
            assertFalse(loop.ready(), "a complete loop takes no step");
            assertEquals(4, learner.stepCount());
        }
        assertEquals(
                List.of(
                        "a step 1 of epoch 0",
                        "b step 1 of epoch 0",
                        "a step 2 of epoch 0",
                        "b step 2 of epoch 0",
                        "a epoch 1 at step 2: 2 steps, 16 images",
                        "b epoch 1 at step 2: 2 steps, 16 images",
                        "a step 3 of epoch 1",
                        "b step 3 of epoch 1",
                        "a step 4 of epoch 1",
                        "b step 4 of epoch 1",
                        "a epoch 2 at step 4: 2 steps, 16 images",
                        "b epoch 2 at step 4: 2 steps, 16 images"),
                calls);
    }

    @Test
    void shouldCountCompletePassesOverTheRowsWithoutAStepBound() throws InterruptedException {
        final List<DecodedImage> images = SyntheticShapes.generate(ROWS, 3).images();
        final List<String> calls = new ArrayList<>();
        try (NpidLearner learner = learner(images);
                EpochLoop loop = new EpochLoop(
                        learner, new BatchScheduler(BATCH, 5), new InMemoryImageSource(images), ROWS, 0, 2, true, 0)) {
            loop.addListener(new Recorder("a", calls));
            final TrainingResult result = loop.run();
            // two passes over 20 rows in batches of 8: 40 / 8 = 5 steps, the second pass ending with the fifth batch
            assertEquals(new TrainingResult(5, 2, ROWS, 0), result);
            assertEquals(5, learner.stepCount());
        }
        // a pass ends inside a batch: the third step (rows 16..23 of the stream) ends the first
        assertEquals(
                List.of(
                        "a step 1 of epoch 0",
                        "a step 2 of epoch 0",
                        "a step 3 of epoch 0",
                        "a epoch 1 at step 3: 3 steps, 24 images",
                        "a step 4 of epoch 1",
                        "a step 5 of epoch 1",
                        "a epoch 2 at step 5: 2 steps, 16 images"),
                calls);
    }

    @Test
    void shouldStepNeverWhenTrainingIsOff() throws InterruptedException {
        final List<DecodedImage> images = SyntheticShapes.generate(ROWS, 3).images();
        try (NpidLearner learner = learner(images);
                EpochLoop loop = new EpochLoop(
                        learner, new BatchScheduler(BATCH, 5), new InMemoryImageSource(images), ROWS, 0, 0, false, 0)) {
            loop.inputCaughtUp(true);
            assertTrue(loop.complete(), "serve-only is complete from the start");
            assertEquals(null, loop.step(10));
            assertEquals(0, learner.stepCount());
        }
    }
}
