package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ColourJitterTest {

    private static float[][] randomPlanes(final long seed, final int n) {
        final SplitMix64 rng = new SplitMix64(seed);
        final float[][] planes = new float[3][n];
        for (final float[] plane : planes) {
            for (int i = 0; i < n; i++) {
                plane[i] = (float) rng.uniform(0, 1);
            }
        }
        return planes;
    }

    @Test
    void zeroStrengthLeavesTheColoursAsTheyAre() {
        final float[][] planes = randomPlanes(1, 64);
        final float[][] before = {planes[0].clone(), planes[1].clone(), planes[2].clone()};
        new ColourJitter(planes).jitter(new SplitMix64(7), 0);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(before[c], planes[c], 1e-5f, "plane " + c);
        }
    }

    @Test
    void jitterStaysInRangeChangesColoursAndRepeatsWithTheSeed() {
        final float[][] a = randomPlanes(2, 256);
        final float[][] b = randomPlanes(2, 256);
        final float[] original = a[0].clone();
        new ColourJitter(a).jitter(new SplitMix64(11), 0.4);
        new ColourJitter(b).jitter(new SplitMix64(11), 0.4);
        double moved = 0;
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(a[c], b[c], "same seed, same output");
            for (final float v : a[c]) {
                assertTrue(v >= 0f && v <= 1f, "value " + v + " out of 0..1");
            }
        }
        for (int i = 0; i < original.length; i++) {
            moved += Math.abs(a[0][i] - original[i]);
        }
        assertTrue(moved / original.length > 0.01, "strength 0.4 changes the colours, mean change " + moved / 256);
    }

    @Test
    void greyIsTheLumaInEveryPlane() {
        final float[][] planes = {{1f, 0f, 0.5f}, {0f, 1f, 0.5f}, {0f, 0f, 0.5f}};
        new ColourJitter(planes).toGrey();
        final float[] expected = {0.299f, 0.587f, 0.5f};
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(expected, planes[c], 1e-6f);
        }
        assertEquals(0.114f, ColourJitter.luma(0f, 0f, 1f), 1e-7f);
    }
}
