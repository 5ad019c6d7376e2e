package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.train.TrainerConfig;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Colour jitter on grey images (brightness and contrast, npid.color.jitter) and random erasing (npid.erase.probability). */
class AugmenterGreyJitterAndErasingTest {
    private static final int SIDE = 28;
    private static final float[] ZERO = {0f};
    private static final float[] ONE = {1f};

    private static DecodedImage flat(final int value) {
        final byte[] px = new byte[SIDE * SIDE];
        Arrays.fill(px, (byte) value);
        return new DecodedImage(SIDE, SIDE, 1, px);
    }

    private static AugmentationSpec spec(final double jitter, final double erase) {
        return new AugmentationSpec(SIDE, 1, 1, 1, false, jitter, 0, ZERO, ONE, 0, erase, 0, 0);
    }

    @Test
    void shouldEraseOneRectangleOfTwoToAThirdOfTheView() {
        final Augmenter augmenter = new Augmenter(spec(0, 1));
        final SplitMix64 rng = new SplitMix64(3);
        final float[] out = new float[SIDE * SIDE];
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (int i = 0; i < 300; i++) {
            augmenter.augment(flat(255), rng, out, 0);
            int minX = SIDE;
            int minY = SIDE;
            int maxX = -1;
            int maxY = -1;
            int erased = 0;
            for (int p = 0; p < out.length; p++) {
                if (out[p] == 0f) {
                    erased++;
                    minX = Math.min(minX, p % SIDE);
                    maxX = Math.max(maxX, p % SIDE);
                    minY = Math.min(minY, p / SIDE);
                    maxY = Math.max(maxY, p / SIDE);
                } else {
                    assertEquals(1f, out[p], 1e-6f, "pixels outside the rectangle keep their value");
                }
            }
            assertEquals((maxX - minX + 1) * (maxY - minY + 1), erased, "the erased pixels form one rectangle");
            smallest = Math.min(smallest, erased);
            largest = Math.max(largest, erased);
        }
        // 2% and 33% of 784 pixels are 15.7 and 259; rounding each side moves the area a little
        assertTrue(smallest >= 10 && smallest <= 30, "smallest erased area " + smallest);
        assertTrue(largest >= 200 && largest <= 290, "largest erased area " + largest);
    }

    @Test
    void shouldEraseAboutTheConfiguredShareOfViews() {
        final Augmenter augmenter = new Augmenter(spec(0, 0.5));
        final SplitMix64 rng = new SplitMix64(5);
        final float[] out = new float[SIDE * SIDE];
        int erasedViews = 0;
        for (int i = 0; i < 1000; i++) {
            augmenter.augment(flat(255), rng, out, 0);
            erasedViews += containsZero(out) ? 1 : 0;
        }
        assertTrue(erasedViews > 440 && erasedViews < 560, "erased views " + erasedViews + " of 1000");
    }

    private static boolean containsZero(final float[] out) {
        for (final float v : out) {
            if (v == 0f) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldEraseEveryChannelOfAnRgbViewAtTheSamePlace() {
        final AugmentationSpec rgb =
                new AugmentationSpec(SIDE, 3, 1, 1, false, 0, 0, new float[3], new float[] {1, 1, 1}, 0, 1, 0, 0);
        final float[] out = new float[3 * SIDE * SIDE];
        new Augmenter(rgb).augment(flat(255), new SplitMix64(9), out, 0);
        final int n = SIDE * SIDE;
        assertTrue(containsZero(out));
        for (int p = 0; p < n; p++) {
            assertEquals(out[p], out[n + p]);
            assertEquals(out[p], out[2 * n + p]);
        }
    }

    @Test
    void shouldJitterGreyBrightnessWithinTheStrength() {
        final Augmenter augmenter = new Augmenter(spec(0.4, 0));
        final SplitMix64 rng = new SplitMix64(7);
        final float[] out = new float[SIDE * SIDE];
        float low = 1;
        float high = 0;
        for (int i = 0; i < 500; i++) {
            augmenter.augment(flat(128), rng, out, 0);
            // contrast leaves a flat image as it is; brightness scales it by a factor in [0.6, 1.4]
            for (final float v : out) {
                assertEquals(out[0], v, 1e-6f, "a flat image stays flat");
            }
            low = Math.min(low, out[0]);
            high = Math.max(high, out[0]);
        }
        final float grey = 128f / 255f;
        assertTrue(low >= 0.6f * grey - 1e-5f && low < 0.65f * grey, "darkest " + low / grey + " of the pixel");
        assertTrue(high <= 1.4f * grey + 1e-5f && high > 1.35f * grey, "brightest " + high / grey + " of the pixel");
    }

    @Test
    void shouldJitterGreyContrastAroundTheMean() {
        final byte[] px = new byte[SIDE * SIDE];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 2 == 0 ? 64 : 192);
        }
        final DecodedImage stripes = new DecodedImage(SIDE, SIDE, 1, px);
        final Augmenter augmenter = new Augmenter(spec(0.4, 0));
        final SplitMix64 rng = new SplitMix64(1);
        final float[] out = new float[SIDE * SIDE];
        float minGap = Float.MAX_VALUE;
        float maxGap = 0;
        for (int i = 0; i < 500; i++) {
            augmenter.augment(stripes, rng, out, 0);
            final float gap = Math.abs(out[1] - out[0]);
            minGap = Math.min(minGap, gap);
            maxGap = Math.max(maxGap, gap);
            for (final float v : out) {
                assertTrue(v >= 0f && v <= 1f, "value " + v);
            }
        }
        final float original = 128f / 255f;
        // the gap scales by brightness x contrast: from 0.36 to 1.96 of the original
        assertTrue(minGap < 0.45f * original, "smallest gap " + minGap / original);
        assertTrue(maxGap > 1.6f * original, "largest gap " + maxGap / original);
    }

    @Test
    void shouldChangeGreyViewsOnlyWhenJitterIsOn() {
        final float[] plain = new float[SIDE * SIDE];
        final float[] jittered = new float[SIDE * SIDE];
        final SplitMix64 rng = new SplitMix64(2);
        final Augmenter without =
                new Augmenter(new AugmentationSpec(SIDE, 1, 0.3, 1, true, 0, 0, ZERO, ONE, 2, 0, 0, 0));
        final Augmenter with = new Augmenter(spec(0.4, 0));
        int changed = 0;
        for (int i = 0; i < 20; i++) {
            without.augment(flat(100), rng, plain, 0);
            with.augment(flat(100), rng, jittered, 0);
            // the shift's zero fill is the only other change a flat image can see
            assertEquals(100f / 255f, plain[SIDE * SIDE / 2 + SIDE / 2], 1e-6f, "the centre keeps its grey");
            changed += Math.abs(jittered[SIDE * SIDE / 2 + SIDE / 2] - 100f / 255f) > 1e-3f ? 1 : 0;
        }
        assertTrue(changed >= 18, "jittered views with another grey: " + changed + " of 20");
    }

    @Test
    void shouldJitterGreyByDefaultAndTakeErasingFromTheConfig() {
        final AugmentationSpec defaults = TrainerConfig.defaults().augmentation(28, 1);
        assertEquals(0.4, defaults.colorJitter(), "grey images get the paper's jitter strength too");
        assertEquals(0.0, defaults.eraseProbability());
        final AugmentationSpec configured = TrainerConfig.defaults()
                .with(Map.of(TrainerConfig.COLOR_JITTER_CONFIG, "0", TrainerConfig.ERASE_PROBABILITY_CONFIG, "0.5"))
                .augmentation(28, 1);
        assertEquals(0.0, configured.colorJitter());
        assertEquals(0.5, configured.eraseProbability());
        final ConfigException error = assertThrows(
                ConfigException.class,
                () -> TrainerConfig.defaults().with(Map.of(TrainerConfig.ERASE_PROBABILITY_CONFIG, "1.5")));
        assertTrue(error.getMessage().contains(TrainerConfig.ERASE_PROBABILITY_CONFIG), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> spec(0, 2));
    }
}
