package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.SyntheticShapes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The settings for large banks: shared negatives, the softmax's switch to NCE, the frozen refresh, float16 rows. */
class LargeBankLearnerTest {
    private static final int SIDE = 28;
    private static final int ROWS = 48;
    private static final int BATCH = 8;

    private static TrainerConfig config(final Map<String, String> extra) {
        final Map<String, String> settings = new HashMap<>(Map.of(
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
        settings.putAll(extra);
        return TrainerConfig.defaults().with(settings);
    }

    private static AugmentedBatch batch(final NpidLearner learner, final List<DecodedImage> images, final long step) {
        return CyclingBatches.of(learner, images.subList(0, ROWS), step, BATCH, SIDE);
    }

    /** Losses of the first steps of a fresh learner on the bank of its initial embeddings. */
    private static float[] losses(final TrainerConfig config, final int steps) {
        final List<DecodedImage> images = SyntheticShapes.generate(ROWS, 7).images();
        try (NpidLearner learner = NpidLearner.create(config, 1, SIDE)) {
            learner.appendBankRows(learner.embed(images));
            final float[] out = new float[steps];
            for (int s = 0; s < steps; s++) {
                out[s] = learner.step(batch(learner, images, s)).loss();
            }
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float16"})
    void shouldTrainWithSharedNegativesWithoutGrowingLiveArrays(final String dtype) {
        final List<DecodedImage> images = SyntheticShapes.generate(ROWS, 7).images();
        try (NpidLearner learner = NpidLearner.create(
                config(Map.of(
                        TrainerConfig.OBJECTIVE_CONFIG,
                        "nce",
                        TrainerConfig.NCE_NEGATIVES_CONFIG,
                        "shared",
                        TrainerConfig.BANK_DTYPE_CONFIG,
                        dtype)),
                1,
                SIDE)) {
            learner.appendBankRows(learner.embed(images));
            final float first = learner.step(batch(learner, images, 0)).loss();
            final int live = learner.liveArrayCount();
            for (int s = 1; s <= 150; s++) {
                final float loss = learner.step(batch(learner, images, s)).loss();
                assertTrue(Float.isFinite(loss), "step " + s + ": " + loss);
            }
            assertEquals(live, learner.liveArrayCount(), "live arrays");
            // the same estimator as the paper's per-sample draws: from the same start, first losses agree closely
            // (measured 5.98 shared, 6.04 per-sample; later steps differ by which negatives were drawn)
            final float perSample = losses(
                    config(Map.of(TrainerConfig.OBJECTIVE_CONFIG, "nce", TrainerConfig.BANK_DTYPE_CONFIG, dtype)), 1)[
                    0];
            assertEquals(perSample, first, 0.05 * perSample, "first loss, shared against per-sample negatives");
            assertTrue(Double.isFinite(learner.z()) && learner.z() > 0, "Z " + learner.z());
        }
    }

    @Test
    void shouldDrawSharedNegativesByDefaultOnlyAboveTheRowLimit() {
        assertEquals("auto", TrainerConfig.defaults().nceNegatives());
        assertEquals(false, TrainerConfig.defaults().nceSharedNegatives(200_000), "the paper's draws up to 200,000");
        assertEquals(true, TrainerConfig.defaults().nceSharedNegatives(200_001), "shared above");
        final Map<String, String> nce = Map.of(TrainerConfig.OBJECTIVE_CONFIG, "nce");
        final float[] perSample = losses(config(with(nce, TrainerConfig.NCE_NEGATIVES_CONFIG, "per-sample")), 3);
        final float[] shared = losses(config(with(nce, TrainerConfig.NCE_NEGATIVES_CONFIG, "shared")), 3);
        assertTrue(
                Math.abs(perSample[1] - shared[1]) > 1e-4, "the two draws differ: " + perSample[1] + " " + shared[1]);
        assertArrayEquals(
                perSample,
                losses(config(with(nce, TrainerConfig.NCE_SHARED_MIN_ROWS_CONFIG, "48")), 3),
                "auto at the limit (48 rows): the paper's per-sample negatives");
        assertArrayEquals(
                shared,
                losses(config(with(nce, TrainerConfig.NCE_SHARED_MIN_ROWS_CONFIG, "47")), 3),
                "auto above the limit: shared negatives, step for step");
    }

    private static Map<String, String> with(final Map<String, String> base, final String key, final String value) {
        final Map<String, String> out = new HashMap<>(base);
        out.put(key, value);
        return out;
    }

    @Test
    void shouldRunTheSoftmaxAsNceAboveTheRowLimitAndSayItOnce() {
        final Logger logger = (Logger) LoggerFactory.getLogger(SoftmaxFallbackObjective.class);
        final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        final ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        // the same T and lr for both, as the switched softmax keeps its own (0.1, and 0.02 on grey input where NCE's
        // default is 0.01)
        final String t = "0.1";
        try {
            final float[] nce = losses(
                    config(Map.of(
                            TrainerConfig.OBJECTIVE_CONFIG,
                            "nce",
                            TrainerConfig.TEMPERATURE_CONFIG,
                            t,
                            TrainerConfig.LR_CONFIG,
                            "0.02")),
                    3);
            final float[] softmax = losses(config(Map.of(TrainerConfig.OBJECTIVE_CONFIG, "softmax")), 3);
            assertTrue(appender.list.isEmpty(), "48 rows are below the default limit");
            final float[] switched = losses(
                    config(Map.of(
                            TrainerConfig.OBJECTIVE_CONFIG,
                            "softmax",
                            TrainerConfig.SOFTMAX_MAX_ROWS_CONFIG,
                            "47",
                            TrainerConfig.TEMPERATURE_CONFIG,
                            t)),
                    3);
            assertArrayEquals(nce, switched, "above the limit the softmax learner takes NCE's steps exactly");
            final float[] kept = losses(
                    config(Map.of(
                            TrainerConfig.OBJECTIVE_CONFIG, "softmax", TrainerConfig.SOFTMAX_MAX_ROWS_CONFIG, "48")),
                    3);
            assertArrayEquals(softmax, kept, "at the limit it is still the softmax");
            assertTrue(Math.abs(softmax[0] - nce[0]) > 0.1, "the two objectives differ: " + softmax[0] + " " + nce[0]);
            assertEquals(1, appender.list.size(), "one log line for three NCE steps: " + appender.list);
            assertTrue(
                    appender.list.get(0).getFormattedMessage().contains("runs as NCE"),
                    appender.list.get(0).getFormattedMessage());
        } finally {
            logger.setLevel(level);
            logger.detachAppender(appender);
        }
    }

    @Test
    void shouldRefreshWithTheFrozenEncoderExactlyAsAPausedRefreshWouldWhileStepsGoOn() {
        final List<DecodedImage> images = SyntheticShapes.generate(ROWS, 7).images();
        try (NpidLearner learner = NpidLearner.create(config(Map.of()), 1, SIDE)) {
            learner.appendBankRows(learner.embed(images));
            assertThrows(IllegalStateException.class, () -> learner.refreshBankRowsFrozen(0, images.subList(0, 8)));
            final float[] paused = learner.embed(images); // what a paused refresh now would write
            learner.freezeEncoder();
            final int live = learner.liveArrayCount();
            final float[] spread = new float[paused.length];
            for (int slice = 0; slice < ROWS / 8; slice++) {
                learner.step(batch(learner, images, slice));
                final float[] rows = learner.refreshBankRowsFrozen(slice * 8, images.subList(slice * 8, slice * 8 + 8));
                System.arraycopy(rows, 0, spread, slice * 8 * 16, rows.length);
                final float[] bank = learner.bankRows();
                assertArrayEquals(
                        rows,
                        java.util.Arrays.copyOfRange(bank, slice * 8 * 16, (slice + 1) * 8 * 16),
                        "the slice's rows are in the bank");
            }
            assertArrayEquals(paused, spread, 1e-4f, "spread refresh = paused refresh");
            final float[] live6 = learner.embed(images);
            double moved = 0;
            for (int i = 0; i < live6.length; i++) {
                moved = Math.max(moved, Math.abs(live6[i] - paused[i]));
            }
            assertTrue(moved > 1e-3, "the steps changed the live encoder (else the test proves nothing): " + moved);
            assertEquals(live, learner.liveArrayCount(), "no arrays left behind by the slices");
            learner.releaseFrozenEncoder();
            assertTrue(learner.liveArrayCount() < live, "releasing frees the snapshot");
        }
    }
}
