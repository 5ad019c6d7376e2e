package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.train.TrainerConfig;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** SimCLR's Gaussian blur of views (npid.blur.probability). */
class RandomBlurTest {
    private static final int SIDE = 28;
    private static final int CENTRE = SIDE / 2;

    private static float[][] dot() {
        final float[][] planes = new float[1][SIDE * SIDE];
        planes[0][CENTRE * SIDE + CENTRE] = 1f;
        return planes;
    }

    @Test
    void shouldSpreadADotOverAThreeByThreeKernelKeepingItsBrightness() {
        final RandomBlur blur = new RandomBlur(1, SIDE);
        final SplitMix64 rng = new SplitMix64(7);
        for (int i = 0; i < 20; i++) {
            final float[][] planes = dot();
            blur.blur(rng, planes, 1);
            double sum = 0;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    final float v = planes[0][y * SIDE + x];
                    sum += v;
                    final boolean near = Math.abs(x - CENTRE) <= 1 && Math.abs(y - CENTRE) <= 1;
                    assertTrue(near ? v > 0f : v == 0f, "kernel 3 for a 28-pixel view: (" + x + ", " + y + ") " + v);
                }
            }
            assertEquals(1.0, sum, 1e-5, "the kernel sums to 1");
            final float centre = planes[0][CENTRE * SIDE + CENTRE];
            assertEquals(planes[0][CENTRE * SIDE + CENTRE + 1], planes[0][(CENTRE + 1) * SIDE + CENTRE], 1e-6f);
            assertTrue(centre >= planes[0][CENTRE * SIDE + CENTRE + 1], "a Gaussian peaks at the dot");
        }
    }

    @Test
    void shouldKeepAFlatViewFlatUpToItsBorders() {
        final RandomBlur blur = new RandomBlur(1, SIDE);
        final float[][] planes = new float[1][SIDE * SIDE];
        Arrays.fill(planes[0], 0.3f);
        blur.blur(new SplitMix64(1), planes, 1);
        for (final float v : planes[0]) {
            assertEquals(0.3f, v, 1e-6f, "reflected borders add no dark rim");
        }
    }

    @Test
    void shouldBlurAboutTheGivenShareOfViews() {
        final RandomBlur blur = new RandomBlur(0.5, SIDE);
        final SplitMix64 rng = new SplitMix64(3);
        int blurred = 0;
        for (int i = 0; i < 1000; i++) {
            final float[][] planes = dot();
            blur.blur(rng, planes, 1);
            blurred += planes[0][CENTRE * SIDE + CENTRE] < 1f ? 1 : 0;
        }
        assertTrue(blurred >= 440 && blurred <= 560, "blurred views: " + blurred + " of 1000");
    }

    @Test
    void shouldBeOffByDefaultAndTakeTheProbabilityFromTheConfig() {
        assertEquals(0.0, TrainerConfig.defaults().augmentation(28, 1).blurProbability());
        assertEquals(
                0.5,
                TrainerConfig.defaults()
                        .with(Map.of(TrainerConfig.BLUR_PROBABILITY_CONFIG, "0.5"))
                        .augmentation(28, 1)
                        .blurProbability());
        final ConfigException error = assertThrows(
                ConfigException.class,
                () -> TrainerConfig.defaults().with(Map.of(TrainerConfig.BLUR_PROBABILITY_CONFIG, "2")));
        assertTrue(error.getMessage().contains(TrainerConfig.BLUR_PROBABILITY_CONFIG), error.getMessage());
    }
}
