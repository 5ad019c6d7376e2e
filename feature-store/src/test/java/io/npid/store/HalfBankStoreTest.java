package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bank rows written as float16 ({@code store.bank.dtype=float16}) next to float32 rows in one store. */
class HalfBankStoreTest {
    private static final int DIM = 16;
    private static final int ROWS = 40;

    @TempDir
    Path dir;

    @Test
    void shouldReadFloat16AndFloat32RowsBackWithinTheirPrecisionWhicheverTheSetting() {
        final StoreOptions half = StoreOptions.fromMap(
                Map.of(StoreOptions.DIMENSION_CONFIG, DIM, StoreOptions.BANK_DTYPE_CONFIG, "float16"));
        final StoreOptions single = StoreOptions.defaults(DIM);
        try (FeatureStore store = FeatureStore.open(dir, single)) {
            final IngestBatch batch = store.newIngest();
            for (int i = 0; i < ROWS / 2; i++) {
                batch.put(TestData.image("id-" + i, 0, 4), TestData.unitVector("id-" + i, 0, DIM));
            }
            batch.commit();
        }
        try (FeatureStore store = FeatureStore.open(dir, half)) {
            final IngestBatch batch = store.newIngest();
            for (int i = ROWS / 2; i < ROWS; i++) {
                batch.put(
                        TestData.image("id-" + i, 0, 4), i == ROWS - 1 ? null : TestData.unitVector("id-" + i, 0, DIM));
            }
            batch.commit();
            final float[] rewritten = TestData.unitVector("id-3", 1, DIM);
            store.writeBank(new int[] {3}, rewritten, null); // a float32 row rewritten as float16
        }
        for (final StoreOptions options : List.of(single, half)) {
            try (FeatureStore store = FeatureStore.open(dir, options)) {
                final float[] bank = store.loadBank();
                for (int i = 0; i < ROWS - 1; i++) {
                    final float[] expected = TestData.unitVector("id-" + i, i == 3 ? 1 : 0, DIM);
                    final boolean stored16 = i >= ROWS / 2 || i == 3;
                    for (int j = 0; j < DIM; j++) {
                        // float16: 11 significant bits, relative error at most 2^-11 (values below 1 here)
                        final double tolerance = stored16 ? Math.abs(expected[j]) * 0x1p-11 + 0x1p-25 : 0;
                        assertEquals(expected[j], bank[i * DIM + j], tolerance, "row " + i + " element " + j);
                    }
                    final float[] read = store.readBank(new int[] {i}).get(0);
                    for (int j = 0; j < DIM; j++) {
                        assertEquals(bank[i * DIM + j], read[j], "readBank equals loadBank, row " + i);
                    }
                }
                assertNull(store.readBank(new int[] {ROWS - 1}).get(0), "a row without a vector");
                final int[] visited = {0};
                store.forEachRow((id, row, className, vector) -> {
                    if (vector != null) {
                        assertEquals(bank[row * DIM], vector[0], "forEachRow equals loadBank, row " + row);
                        visited[0]++;
                    }
                });
                assertEquals(ROWS - 1, visited[0]);
            }
        }
    }

    @Test
    void shouldRefuseAnUnknownBankType() {
        final var e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.kafka.common.config.ConfigException.class,
                () -> StoreOptions.fromMap(
                        Map.of(StoreOptions.DIMENSION_CONFIG, DIM, StoreOptions.BANK_DTYPE_CONFIG, "bfloat16")));
        org.junit.jupiter.api.Assertions.assertTrue(
                e.getMessage().contains(StoreOptions.BANK_DTYPE_CONFIG), e.getMessage());
    }
}
