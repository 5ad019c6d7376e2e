package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmenterTest {

    private static DecodedImage gradient(final int w, final int h, final int channels) {
        final byte[] px = new byte[w * h * channels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    px[(y * w + x) * channels + c] = (byte) ((x * 255 / (w - 1) + c * 40) % 256);
                }
            }
        }
        return new DecodedImage(w, h, channels, px);
    }

    @Test
    void shouldReproduceTheSameViewFromTheSameSeed() {
        final Augmenter augmenter = new Augmenter(AugmentationSpec.defaults(32, 3));
        final DecodedImage image = gradient(40, 36, 3);
        final float[] a = new float[3 * 32 * 32];
        final float[] b = new float[a.length];
        final float[] c = new float[a.length];
        augmenter.augment(image, new SplitMix64(5), a, 0);
        augmenter.augment(image, new SplitMix64(5), b, 0);
        augmenter.augment(image, new SplitMix64(6), c, 0);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c), "another seed gives another view");
        for (final float v : a) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void shouldPreprocessByResizeAndNormaliseOnly() {
        final AugmentationSpec spec =
                new AugmentationSpec(4, 1, 1, 1, false, 0, 0, new float[] {0.5f}, new float[] {0.5f});
        final byte[] px = new byte[16];
        Arrays.fill(px, (byte) 255);
        final float[] out = new float[16];
        new Augmenter(spec).preprocess(new DecodedImage(4, 4, 1, px), out, 0);
        for (final float v : out) {
            assertEquals(1f, v, 1e-6f, "(1 - 0.5) / 0.5");
        }
    }

    @Test
    void shouldMirrorWhenFlippedAndKeepFullCropAtScaleOne() {
        final AugmentationSpec spec = new AugmentationSpec(8, 1, 1, 1, true, 0, 0, new float[] {0f}, new float[] {1f});
        final Augmenter augmenter = new Augmenter(spec);
        final DecodedImage image = gradient(8, 8, 1);
        final float[] plain = new float[64];
        augmenter.preprocess(image, plain, 0);
        int flips = 0;
        for (int seed = 0; seed < 40; seed++) {
            final float[] out = new float[64];
            augmenter.augment(image, new SplitMix64(seed), out, 0);
            // scale 1 with aspect in 3/4..4/3 may still be off-square; compare only square, full crops
            if (Math.abs(out[0] - plain[0]) < 1e-6 && Math.abs(out[7] - plain[7]) < 1e-6) {
                assertArrayEquals(plain, out, 1e-6f);
            } else if (Math.abs(out[0] - plain[7]) < 1e-6 && Math.abs(out[7] - plain[0]) < 1e-6) {
                flips++;
                for (int x = 0; x < 8; x++) {
                    assertEquals(plain[7 - x], out[x], 1e-6f);
                }
            }
        }
        assertTrue(flips > 0, "some of 40 views are mirrored");
    }

    @Test
    void shouldConvertChannelsToTheOutputSpec() {
        final float[] grey = new float[16];
        new Augmenter(new AugmentationSpec(4, 1, 1, 1, false, 0, 0, new float[] {0}, new float[] {1}))
                .preprocess(gradient(4, 4, 3), grey, 0);
        final float[] rgb = new float[48];
        new Augmenter(new AugmentationSpec(4, 3, 1, 1, false, 0, 0, new float[3], new float[] {1, 1, 1}))
                .preprocess(gradient(4, 4, 1), rgb, 0);
        assertArrayEquals(Arrays.copyOfRange(rgb, 0, 16), Arrays.copyOfRange(rgb, 32, 48));
        assertTrue(grey[15] > grey[0]);
    }

    @Test
    void shouldPreprocessThePhotosCentredSquareInsteadOfStretchingIt() {
        // 60x20: white left and right thirds, black centre; the centred 20x20 square is all black
        final int w = 60;
        final int h = 20;
        final byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (byte) (x < 20 || x >= 40 ? 255 : 0);
            }
        }
        final AugmentationSpec spec = new AugmentationSpec(8, 1, 1, 1, false, 0, 0, new float[] {0f}, new float[] {1f});
        final float[] out = new float[64];
        new Augmenter(spec).preprocess(new DecodedImage(w, h, 1, px), out, 0);
        for (final float v : out) {
            assertEquals(0f, v, 1e-6f);
        }
    }

    @Test
    void shouldAverageAreasWhenAViewShrinksTwofoldOrMore() {
        // a one-pixel checkerboard seen at a quarter of its side: bilinear would alias, areas give mid-grey
        final int side = 128;
        final byte[] px = new byte[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                px[y * side + x] = (byte) ((x + y) % 2 == 0 ? 255 : 0);
            }
        }
        final AugmentationSpec spec =
                new AugmentationSpec(32, 1, 1, 1, false, 0, 0, new float[] {0f}, new float[] {1f});
        final float[] out = new float[32 * 32];
        new Augmenter(spec).preprocess(new DecodedImage(side, side, 1, px), out, 0);
        for (final float v : out) {
            assertEquals(0.5f, v, 1e-3f);
        }
    }
}
