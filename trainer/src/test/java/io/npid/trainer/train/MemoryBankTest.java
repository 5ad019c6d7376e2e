package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.npid.trainer.data.SplitMix64;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MemoryBankTest {

    @Test
    void shouldGrowByDoublingAndKeepEveryRow() {
        try (NDManager manager = NDManager.newBaseManager();
                MemoryBank bank = new MemoryBank(manager, 4, 2)) {
            final float[] rows = MemoryBank.randomRows(37, 4, new SplitMix64(1));
            for (int start = 0; start < 37; start += 5) {
                bank.append(Arrays.copyOfRange(rows, start * 4, Math.min(37, start + 5) * 4));
            }
            assertEquals(37, bank.size());
            assertArrayEquals(rows, bank.toFloatArray());
            final int before = manager.getManagedArrays().size();
            try (NDManager step = manager.newSubManager()) {
                final var idx = step.create(new long[] {36, 0});
                assertArrayEquals(
                        Arrays.copyOfRange(rows, 36 * 4, 37 * 4),
                        Arrays.copyOf(bank.rows(step, idx).toFloatArray(), 4));
                bank.setRows(idx, step.ones(new ai.djl.ndarray.types.Shape(2, 4)));
                assertEquals(37, bank.view(step).getShape().get(0));
            }
            assertEquals(before, manager.getManagedArrays().size(), "nothing left on the bank's manager");
            final float[] after = bank.toFloatArray();
            assertArrayEquals(new float[] {1, 1, 1, 1}, Arrays.copyOf(after, 4));
            assertArrayEquals(Arrays.copyOfRange(rows, 4, 36 * 4), Arrays.copyOfRange(after, 4, 36 * 4));
        }
    }

    @Test
    void shouldMakeUnitRandomRowsAndRefuseRaggedInput() {
        final float[] rows = MemoryBank.randomRows(10, 128, new SplitMix64(2));
        for (int r = 0; r < 10; r++) {
            double norm = 0;
            for (int j = 0; j < 128; j++) {
                norm += rows[r * 128 + j] * rows[r * 128 + j];
            }
            assertEquals(1.0, norm, 1e-5);
        }
        try (NDManager manager = NDManager.newBaseManager();
                MemoryBank bank = new MemoryBank(manager, 4, 2)) {
            assertThrows(IllegalArgumentException.class, () -> bank.append(new float[6]));
        }
    }
}
