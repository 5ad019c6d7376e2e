package io.npid.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
    private static final int DIM = 16;

    /** Rows and labels, row-major. */
    private record Data(float[] x, int[] y) {}

    /** Class c is +1 on dimension c, the rest is uniform noise in +-noise (separable for noise < 1/2). */
    private static Data clusters(final int rows, final int classes, final double noise, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] x = new float[rows * DIM];
        final int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = r % classes;
            for (int j = 0; j < DIM; j++) {
                x[r * DIM + j] = (float) ((random.nextDouble() * 2 - 1) * noise);
            }
            x[r * DIM + y[r]] += 1;
        }
        return new Data(x, y);
    }

    @Test
    void shouldClassifySeparableClustersPerfectly() {
        final Data train = clusters(600, 5, 0.3, 1);
        final Data test = clusters(300, 5, 0.3, 2);
        final LinearProbe.Result r = new LinearProbe(LinearProbe.Options.defaults())
                .evaluate(train.x(), train.y(), test.x(), test.y(), DIM, 5);
        assertEquals(1.0, r.trainAccuracy());
        assertEquals(1.0, r.accuracy());
    }

    /**
     * The class is the sign of dimension 0 while 15 other dimensions carry larger noise: a linear classifier reads
     * the one direction that matters, the cosine kNN vote is dominated by the noise.
     */
    @Test
    void shouldFindTheOneInformativeDirectionThatKnnMisses() {
        final Data train = signOfFirst(2000, 3);
        final Data test = signOfFirst(1000, 4);
        final double linear = new LinearProbe(LinearProbe.Options.defaults())
                .evaluate(train.x(), train.y(), test.x(), test.y(), DIM, 2)
                .accuracy();
        final double knn = new KnnEvaluator(200, 0.07)
                .evaluate(train.x(), train.y(), test.x(), test.y(), DIM, 2)
                .accuracy();
        assertTrue(linear >= 0.99, "linear " + linear);
        assertTrue(knn < 0.9, "kNN " + knn);
    }

    private static Data signOfFirst(final int rows, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] x = new float[rows * DIM];
        final int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = r % 2;
            x[r * DIM] = (float) ((y[r] == 1 ? 1 : -1) * (0.1 + 0.2 * random.nextDouble()));
            for (int j = 1; j < DIM; j++) {
                x[r * DIM + j] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        return new Data(x, y);
    }

    @Test
    void shouldRepeatItselfForTheSameSeed() {
        final Data train = clusters(500, 4, 0.6, 8);
        final Data test = clusters(400, 4, 0.6, 9);
        final LinearProbe.Options options = LinearProbe.Options.defaults().with(5, 1e-3);
        final LinearProbe.Result a =
                new LinearProbe(options).evaluate(train.x(), train.y(), test.x(), test.y(), DIM, 4);
        final LinearProbe.Result b =
                new LinearProbe(options).evaluate(train.x(), train.y(), test.x(), test.y(), DIM, 4);
        assertArrayEquals(a.predictions(), b.predictions());
        assertEquals(a.accuracy(), b.accuracy());
    }

    @Test
    void shouldRejectBadInput() {
        final LinearProbe probe = new LinearProbe(LinearProbe.Options.defaults());
        assertThrows(
                IllegalArgumentException.class,
                () -> probe.evaluate(new float[3], new int[] {0}, new float[0], new int[0], DIM, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> probe.evaluate(new float[DIM], new int[] {2}, new float[0], new int[0], DIM, 2));
        assertThrows(IllegalArgumentException.class, () -> new LinearProbe.Options(0, 0.1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearProbe.Options(1, 0.1, -1, 1, 1));
    }
}
