package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreBankTest {
    private static final int DIM = 16;
    private static final int ROWS = 300;

    @TempDir
    Path dir;

    @BeforeEach
    void ingest() {
        try (FeatureStore store = open()) {
            final IngestBatch batch = store.newIngest();
            for (int i = 0; i < ROWS; i++) {
                // Every third image comes without an initial vector, as when the trainer embeds it later.
                batch.put(TestData.image("id-" + i, 0, 4), i % 3 == 2 ? null : TestData.unitVector("id-" + i, 0, DIM));
            }
            batch.label("id-1", "ankle boot").commit();
        }
    }

    private FeatureStore open() {
        return FeatureStore.open(dir.resolve("store"), StoreOptions.defaults(DIM));
    }

    private static float[] expectedBank() {
        final float[] bank = new float[ROWS * DIM];
        for (int i = 0; i < ROWS; i++) {
            if (i % 3 != 2) {
                System.arraycopy(TestData.unitVector("id-" + i, 0, DIM), 0, bank, i * DIM, DIM);
            }
        }
        return bank;
    }

    @Test
    void shouldLoadTheInitialVectorsAsADenseMatrixWithZerosForRowsWithoutOne() {
        try (FeatureStore store = open()) {
            assertArrayEquals(expectedBank(), store.loadBank());
        }
    }

    @Test
    void shouldWriteBankRowsAndLoadThemBack() {
        try (FeatureStore store = open()) {
            final int[] rows = {2, 299, 0};
            final float[] vectors = new float[rows.length * DIM];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(TestData.unitVector("id-" + rows[i], 1, DIM), 0, vectors, i * DIM, DIM);
            }
            store.writeBank(rows, vectors, null);
            final float[] expected = expectedBank();
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(vectors, i * DIM, expected, rows[i] * DIM, DIM);
            }
            final float[] into = new float[ROWS * DIM + 5];
            assertEquals(ROWS, store.loadBank(into));
            assertArrayEquals(expected, java.util.Arrays.copyOf(into, ROWS * DIM));
            assertThrows(IllegalArgumentException.class, () -> store.loadBank(new float[ROWS * DIM - 1]));
        }
    }

    @Test
    void shouldRefuseNaNNamingTheRowAndWriteNothing() {
        try (FeatureStore store = open()) {
            final float[] vectors = new float[2 * DIM];
            System.arraycopy(TestData.unitVector("x", 0, DIM), 0, vectors, 0, DIM);
            System.arraycopy(TestData.unitVector("y", 0, DIM), 0, vectors, DIM, DIM);
            vectors[DIM + 3] = Float.NaN;
            final StoreException e =
                    assertThrows(StoreException.class, () -> store.writeBank(new int[] {5, 17}, vectors, null));
            assertTrue(e.getMessage().contains("row 17") && e.getMessage().contains("NaN"), e.getMessage());
            assertArrayEquals(expectedBank(), store.loadBank(), "a refused batch writes no row, not even row 5");
        }
    }

    @Test
    void shouldRefuseInfinityNamingTheRow() {
        try (FeatureStore store = open()) {
            final float[] v = TestData.unitVector("x", 0, DIM);
            v[0] = Float.POSITIVE_INFINITY;
            final StoreException e = assertThrows(StoreException.class, () -> store.writeBank(new int[] {42}, v, null));
            assertTrue(e.getMessage().contains("row 42") && e.getMessage().contains("Infinity"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseANonUnitRowNamingTheRowButAcceptSmallRoundingErrors() {
        try (FeatureStore store = open()) {
            final float[] v = TestData.unitVector("x", 0, DIM);
            for (int i = 0; i < DIM; i++) {
                v[i] *= 1.0005f;
            }
            store.writeBank(new int[] {7}, v, null);
            for (int i = 0; i < DIM; i++) {
                v[i] *= 1.01f;
            }
            final StoreException e = assertThrows(StoreException.class, () -> store.writeBank(new int[] {7}, v, null));
            assertTrue(e.getMessage().contains("row 7") && e.getMessage().contains("unit norm"), e.getMessage());
            final StoreException zero =
                    assertThrows(StoreException.class, () -> store.writeBank(new int[] {8}, new float[DIM], null));
            assertTrue(zero.getMessage().contains("row 8"), zero.getMessage());
        }
    }

    @Test
    void shouldRefuseTheWrongDimensionSayingBothLengths() {
        try (FeatureStore store = open()) {
            final StoreException e = assertThrows(
                    StoreException.class, () -> store.writeBank(new int[] {1, 2}, new float[DIM * 2 - 1], null));
            assertTrue(
                    e.getMessage().contains(String.valueOf(DIM * 2 - 1))
                            && e.getMessage().contains("32"),
                    e.getMessage());
        }
    }

    @Test
    void shouldRefuseARowOutsideTheStoreNamingIt() {
        try (FeatureStore store = open()) {
            final StoreException e = assertThrows(
                    StoreException.class,
                    () -> store.writeBank(new int[] {ROWS}, TestData.unitVector("x", 0, DIM), null));
            assertTrue(e.getMessage().contains("row " + ROWS), e.getMessage());
            assertThrows(
                    StoreException.class,
                    () -> store.writeBank(new int[] {-1}, TestData.unitVector("x", 0, DIM), null));
        }
    }

    @Test
    void shouldStoreProgressWithTheBankRowsAndKeepItAcrossReopen() {
        try (FeatureStore store = open()) {
            assertEquals(TrainerProgress.INITIAL, store.progress());
            store.writeBank(new int[] {3}, TestData.unitVector("z", 0, DIM), new TrainerProgress(120, 2, 5, 1234.5));
            assertEquals(new TrainerProgress(120, 2, 5, 1234.5), store.progress());
            store.writeBank(new int[] {4}, TestData.unitVector("z", 1, DIM), null);
            assertEquals(new TrainerProgress(120, 2, 5, 1234.5), store.progress(), "no progress given keeps the last");
            store.saveProgress(new TrainerProgress(121, 2, 6, Double.NaN));
        }
        try (FeatureStore store = open()) {
            final TrainerProgress p = store.progress();
            assertEquals(121, p.step());
            assertEquals(6, p.modelVersion());
            assertTrue(Double.isNaN(p.z()) && !p.hasZ());
            assertArrayEquals(
                    TestData.unitVector("z", 0, DIM), java.util.Arrays.copyOfRange(store.loadBank(), 3 * DIM, 4 * DIM));
        }
    }

    @Test
    void shouldNotStoreProgressWhenTheBankWriteIsRefused() {
        try (FeatureStore store = open()) {
            assertThrows(
                    StoreException.class,
                    () -> store.writeBank(new int[] {3}, new float[DIM], new TrainerProgress(9, 9, 9, 9)));
            assertEquals(TrainerProgress.INITIAL, store.progress());
        }
    }

    @Test
    void shouldReadTheVectorsOfChosenRowsWithNullForRowsNeverWritten() {
        try (FeatureStore store = open()) {
            final List<float[]> vectors = store.readBank(new int[] {4, 2, 4});
            assertArrayEquals(TestData.unitVector("id-4", 0, DIM), vectors.get(0));
            assertNull(vectors.get(1), "row 2 came without an initial vector");
            assertArrayEquals(vectors.get(0), vectors.get(2));
            final StoreException e = assertThrows(StoreException.class, () -> store.readBank(new int[] {ROWS}));
            assertTrue(e.getMessage().contains("row " + ROWS), e.getMessage());
        }
    }

    @Test
    void shouldVisitEveryRowInOrderWithIdLabelAndVector() {
        record Visit(String id, int row, String className, float[] vector) {}
        final List<Visit> visits = new ArrayList<>();
        try (FeatureStore store = open()) {
            store.forEachRow((id, row, label, vector) -> visits.add(new Visit(id, row, label, vector)));
        }
        assertEquals(ROWS, visits.size());
        for (int i = 0; i < ROWS; i++) {
            final Visit v = visits.get(i);
            assertEquals(i, v.row());
            assertEquals("id-" + i, v.id());
            assertEquals(i == 1 ? "ankle boot" : null, v.className());
            if (i % 3 == 2) {
                assertNull(v.vector(), "row " + i + " never got a vector");
            } else {
                assertArrayEquals(TestData.unitVector("id-" + i, 0, DIM), v.vector(), "row " + i);
            }
        }
    }
}
