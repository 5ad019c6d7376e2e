package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.npid.trainer.data.SplitMix64;
import io.npid.trainer.eval.KnnEvaluator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The float16 bank ({@code npid.bank.dtype=float16}). */
class HalfBankTest {
    private static final int DIM = 16;

    @Test
    void shouldHalveBytesPerRowAndRoundTripRowsWithinHalfPrecision() {
        try (NDManager manager = NDManager.newBaseManager();
                MemoryBank single = new MemoryBank(manager, 128, 4);
                MemoryBank half = new MemoryBank(manager, 128, 4, true)) {
            assertEquals(512, single.bytesPerRow());
            assertEquals(256, half.bytesPerRow());
            final float[] rows = MemoryBank.randomRows(37, 128, new SplitMix64(3));
            half.append(Arrays.copyOf(rows, 20 * 128));
            half.append(Arrays.copyOfRange(rows, 20 * 128, rows.length)); // grows past the initial capacity
            final float[] back = half.toFloatArray();
            assertEquals(rows.length, back.length);
            for (int i = 0; i < rows.length; i++) {
                // float16 keeps 11 significant bits: relative error at most 2^-11 (values here are below 1)
                assertEquals(rows[i], back[i], Math.abs(rows[i]) * 0x1p-11 + 0x1p-24, "element " + i);
            }
            final float[] replaced = MemoryBank.randomRows(2, 128, new SplitMix64(4));
            half.replace(5, replaced);
            assertArrayEquals(replaced, Arrays.copyOfRange(half.toFloatArray(), 5 * 128, 7 * 128), 3e-4f);
            try (NDManager step = manager.newSubManager()) {
                final NDArray picked = half.rows(step, step.create(new long[] {6, 36}));
                assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, picked.getDataType(), "rows come back widened");
                assertArrayEquals(
                        Arrays.copyOfRange(back, 36 * 128, 37 * 128),
                        Arrays.copyOfRange(picked.toFloatArray(), 128, 256));
                half.setRows(
                        step.create(new long[] {0}),
                        step.create(replaced, new ai.djl.ndarray.types.Shape(2, 128))
                                .get("0:1"));
                assertArrayEquals(Arrays.copyOf(replaced, 128), Arrays.copyOf(half.toFloatArray(), 128), 3e-4f);
            }
        }
    }

    @Test
    void shouldGiveTheSameKnnPredictionsAsAFloat32Bank() {
        final int classes = 10;
        final int perClass = 30;
        final int n = classes * perClass;
        final SplitMix64 rng = new SplitMix64(11);
        final float[] centres = MemoryBank.randomRows(classes, DIM, rng);
        final float[] train = clustered(centres, n, rng);
        final int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        final float[] queries = clustered(centres, 60, rng);
        final int[] queryLabels = Arrays.copyOf(labels, 60);
        float[] halfRows;
        try (NDManager manager = NDManager.newBaseManager();
                MemoryBank half = new MemoryBank(manager, DIM, 8, true)) {
            half.append(train);
            halfRows = half.toFloatArray();
        }
        final KnnEvaluator knn = new KnnEvaluator(20, 0.07);
        final KnnEvaluator.Result single = knn.evaluate(train, labels, queries, queryLabels, DIM, classes);
        final KnnEvaluator.Result halved = knn.evaluate(halfRows, labels, queries, queryLabels, DIM, classes);
        assertArrayEquals(single.predictions(), halved.predictions());
        assertEquals(single.accuracy(), halved.accuracy());
        assertTrue(single.accuracy() > 0.5, "the set is separable enough to mean something: " + single.accuracy());
    }

    /** Unit rows: the centre of row i's class (i mod classes) plus noise. */
    private static float[] clustered(final float[] centres, final int rows, final SplitMix64 rng) {
        final int classes = centres.length / DIM;
        final float[] noise = MemoryBank.randomRows(rows, DIM, rng);
        final float[] out = new float[rows * DIM];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int j = 0; j < DIM; j++) {
                final float v = centres[(r % classes) * DIM + j] + 0.8f * noise[r * DIM + j];
                out[r * DIM + j] = v;
                norm += v * v;
            }
            for (int j = 0; j < DIM; j++) {
                out[r * DIM + j] /= (float) Math.sqrt(norm);
            }
        }
        return out;
    }
}
