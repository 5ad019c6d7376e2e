package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.train.TrainerConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The optional random translation after the crop (npid.translate.pixels). */
class AugmenterTranslationTest {
    private static final int SIDE = 9;

    private static DecodedImage dot(final int x, final int y) {
        final byte[] px = new byte[SIDE * SIDE];
        px[y * SIDE + x] = (byte) 255;
        return new DecodedImage(SIDE, SIDE, 1, px);
    }

    private static AugmentationSpec spec(final int translate) {
        return new AugmentationSpec(SIDE, 1, 1, 1, false, 0, 0, new float[] {0f}, new float[] {1f}, translate, 0, 0, 0);
    }

    @Test
    void shouldMoveTheImageByAtMostTranslatePixelsWithZeroFill() {
        final Augmenter augmenter = new Augmenter(spec(2));
        final SplitMix64 rng = new SplitMix64(11);
        final float[] out = new float[SIDE * SIDE];
        final Set<Integer> offsets = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            augmenter.augment(dot(4, 4), rng, out, 0);
            int at = -1;
            float sum = 0;
            for (int p = 0; p < out.length; p++) {
                sum += out[p];
                if (out[p] > 0.5f) {
                    at = p;
                }
            }
            assertEquals(1f, sum, 1e-6f, "one white pixel, the rest zero-filled");
            final int dx = at % SIDE - 4;
            final int dy = at / SIDE - 4;
            assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, "shift " + dx + "," + dy);
            offsets.add(dx * 10 + dy);
        }
        assertEquals(25, offsets.size(), "every shift in [-2, 2] x [-2, 2] occurs");
    }

    @Test
    void shouldDropPixelsShiftedOutOfTheFrame() {
        final Augmenter augmenter = new Augmenter(spec(3));
        final SplitMix64 rng = new SplitMix64(4);
        final float[] out = new float[SIDE * SIDE];
        int lost = 0;
        for (int i = 0; i < 100; i++) {
            augmenter.augment(dot(0, 8), rng, out, 0);
            float sum = 0;
            for (final float v : out) {
                sum += v;
            }
            lost += sum == 0f ? 1 : 0;
        }
        // the corner pixel stays only for dx >= 0 and dy <= 0: 16 of 49 shifts
        assertTrue(lost > 40 && lost < 90, "views that lost the corner pixel: " + lost);
    }

    @Test
    void shouldKeepTheRandomStreamOfSpecsWithoutTranslation() {
        final AugmentationSpec old =
                new AugmentationSpec(SIDE, 1, 0.3, 1, true, 0, 0, new float[] {0f}, new float[] {1f});
        final AugmentationSpec zero =
                new AugmentationSpec(SIDE, 1, 0.3, 1, true, 0, 0, new float[] {0f}, new float[] {1f}, 0, 0, 0, 0);
        final float[] a = new float[SIDE * SIDE * 3];
        final float[] b = new float[a.length];
        final SplitMix64 ra = new SplitMix64(8);
        final SplitMix64 rb = new SplitMix64(8);
        for (int i = 0; i < 3; i++) {
            new Augmenter(old).augment(dot(2, 3), ra, a, i * SIDE * SIDE);
            new Augmenter(zero).augment(dot(2, 3), rb, b, i * SIDE * SIDE);
        }
        assertArrayEquals(a, b);
        assertEquals(ra.state(), rb.state());
    }

    @Test
    void shouldTakeTheShiftFromTheConfigAndRefuseANegativeOne() {
        assertEquals(
                3,
                TrainerConfig.defaults()
                        .with(Map.of(TrainerConfig.TRANSLATE_PIXELS_CONFIG, "3"))
                        .augmentation(28, 1)
                        .translate());
        assertEquals(
                0,
                TrainerConfig.defaults()
                        .with(Map.of(TrainerConfig.TRANSLATE_PIXELS_CONFIG, "0"))
                        .augmentation(28, 1)
                        .translate());
        assertEquals(
                11,
                TrainerConfig.defaults()
                        .with(Map.of(TrainerConfig.TRANSLATE_PIXELS_CONFIG, "40"))
                        .augmentation(12, 1)
                        .translate(),
                "capped below the image side");
        assertThrows(
                org.apache.kafka.common.config.ConfigException.class,
                () -> TrainerConfig.defaults().with(Map.of(TrainerConfig.TRANSLATE_PIXELS_CONFIG, "-1")));
        assertThrows(IllegalArgumentException.class, () -> spec(SIDE));
    }
}
