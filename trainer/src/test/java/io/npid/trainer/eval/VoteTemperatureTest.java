package io.npid.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VoteTemperatureTest {
    private static final double[] GRID = {0.005, 0.02, 0.1, 10};
    /** A vote that follows the nearest row, and one that counts the k rows nearly equally. */
    private static final double[] SHARP_OR_FLAT = {0.001, 1};
    /** On 1,800 rows packed into 0.6 radians only T near 1e-6 lets the single nearest row decide. */
    private static final double[] NEAREST_OR_FLAT = {1e-6, 1};

    /** Two well-separated clusters (directions 0 and 90 degrees), each with a share of its labels flipped. */
    private static float[][] noisyClusters(final int perClass, final double flip, final long seed) {
        final SplittableRandom rng = new SplittableRandom(seed);
        final float[] rows = new float[2 * perClass * 2];
        final float[] labels = new float[2 * perClass];
        for (int i = 0; i < 2 * perClass; i++) {
            final int cls = i % 2;
            final double angle = cls * Math.PI / 2 + (rng.nextDouble() - 0.5) * 0.6;
            rows[2 * i] = (float) Math.cos(angle);
            rows[2 * i + 1] = (float) Math.sin(angle);
            labels[i] = rng.nextDouble() < flip ? 1 - cls : cls;
        }
        return new float[][] {rows, labels};
    }

    private static int[] ints(final float[] values) {
        final int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    @Test
    void shouldChooseTheFlatVoteWhenTheNearestLabelsAreNoisy() {
        // 20% flipped labels inside clean clusters: a sharp vote follows the few nearest (noisy) labels, a flat
        // one the cluster's majority, about 80% right (seeded: 77% against 79%)
        final float[][] data = noisyClusters(1000, 0.2, 7);
        final VoteTemperature.Choice choice =
                new VoteTemperature(200, NEAREST_OR_FLAT, 42).choose(data[0], ints(data[1]), 2, 2);
        assertEquals(1.0, choice.temperature(), Arrays.toString(choice.validationAccuracy()));
        assertEquals(200, choice.validationRows(), "10% of 2,000 rows");
        assertTrue(
                choice.validationAccuracy()[1] > choice.validationAccuracy()[0],
                "majority beats the nearest label: " + Arrays.toString(choice.validationAccuracy()));
        assertEquals(choice.validationAccuracy()[1], choice.chosenAccuracy());
    }

    @Test
    void shouldChooseTheSharpVoteWhenASmallClassSitsInsideALargeOne() {
        // class 0: 30 rows in a tight bundle; class 1: 300 rows on both sides of it, past a small gap. With all
        // rows voting, a flat vote counts heads and calls every class-0 query class 1; a sharp one follows the
        // bundle
        final SplittableRandom rng = new SplittableRandom(3);
        final int n = 330;
        final float[] rows = new float[n * 2];
        final int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            final boolean small = i % 11 == 0;
            final double side = rng.nextDouble() < 0.5 ? -1 : 1;
            final double angle = small ? (rng.nextDouble() - 0.5) * 0.02 : side * (0.05 + rng.nextDouble() * 0.7);
            rows[2 * i] = (float) Math.cos(angle);
            rows[2 * i + 1] = (float) Math.sin(angle);
            labels[i] = small ? 0 : 1;
        }
        final VoteTemperature.Choice choice = new VoteTemperature(400, SHARP_OR_FLAT, 42).choose(rows, labels, 2, 2);
        assertEquals(0.001, choice.temperature(), Arrays.toString(choice.validationAccuracy()));
        assertTrue(choice.chosenAccuracy() > choice.validationAccuracy()[1], "sharp beats flat");
    }

    @Test
    void shouldHoldOutTheSameRowsForTheSameSeed() {
        final float[][] data = noisyClusters(100, 0.3, 11);
        final VoteTemperature.Choice a = new VoteTemperature(50, GRID, 5).choose(data[0], ints(data[1]), 2, 2);
        final VoteTemperature.Choice b = new VoteTemperature(50, GRID, 5).choose(data[0], ints(data[1]), 2, 2);
        assertArrayEquals(a.validationAccuracy(), b.validationAccuracy());
        assertEquals(a.temperature(), b.temperature());
    }

    @Test
    void shouldMatchTheSingleTemperatureVoteAtEachGridPoint() {
        final float[][] data = noisyClusters(150, 0.25, 13);
        final float[][] queries = noisyClusters(50, 0.25, 17);
        final double[] all =
                new KnnEvaluator(20, 1).accuracies(data[0], ints(data[1]), queries[0], ints(queries[1]), 2, 2, GRID);
        for (int t = 0; t < GRID.length; t++) {
            final double single = new KnnEvaluator(20, GRID[t])
                    .evaluate(data[0], ints(data[1]), queries[0], ints(queries[1]), 2, 2)
                    .accuracy();
            assertEquals(single, all[t], 1e-12, "T " + GRID[t]);
        }
    }

    @Test
    void shouldRefuseTooFewRowsForAValidationSplit() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new VoteTemperature(5, GRID, 1).choose(new float[] {1, 0, 0, 1}, new int[] {0, 1}, 2, 2));
    }
}
