package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** npid.bank.refresh.spread.epochs: the slice size of a spread refresh, and the values it refuses. */
class RefreshSpreadSettingTest {
    private static TrainerConfig spread(final String epochs, final String refreshEvery) {
        return new TrainerConfig(Map.of(
                TrainerConfig.BANK_REFRESH_SPREAD_EPOCHS_CONFIG,
                epochs,
                TrainerConfig.BANK_REFRESH_EPOCHS_CONFIG,
                refreshEvery,
                TrainerConfig.BATCH_SIZE_CONFIG,
                "128"));
    }

    private static TrainerConfig spread(final String epochs) {
        return spread(epochs, "100");
    }

    @Test
    void shouldSizeSlicesSoThatTheRefreshEndsWithinTheSpreadEpochs() {
        assertEquals(0.5, TrainerConfig.defaults().bankRefreshSpreadEpochs());
        // 1M rows, batch 128: 7,813 steps per epoch
        assertEquals(257, spread("0.5").bankRefreshSliceRows(1_000_000), "about 2 x batch: 3,892 steps");
        assertEquals(128, spread("1").bankRefreshSliceRows(1_000_000), "batch: 7,813 steps");
        assertEquals(12_821, spread("0.01").bankRefreshSliceRows(1_000_000), "78 steps");
        assertEquals(32, spread("8").bankRefreshSliceRows(1_000_000), "16 rows would be under the floor");
        for (final int rows : new int[] {1, 31, 500, 99_999, 1_000_000, 10_000_000}) {
            for (final String epochs : new String[] {"0.01", "0.5", "1", "3"}) {
                final TrainerConfig config = spread(epochs);
                final int slice = config.bankRefreshSliceRows(rows);
                final long steps = (rows + slice - 1) / slice;
                final double stepsPerEpoch = Math.ceil(rows / 128.0);
                assertTrue(
                        steps <= Math.max(1, config.bankRefreshSpreadEpochs() * stepsPerEpoch),
                        rows + " rows, " + epochs + " epochs: " + steps + " steps");
                assertTrue(slice >= Math.min(TrainerConfig.MIN_SPREAD_SLICE_ROWS, rows), "floor at " + rows);
            }
        }
        assertEquals(10, spread("0.5").bankRefreshSliceRows(10), "a bank under the floor: one slice");
    }

    @Test
    void shouldRefuseSpreadsOutOfRangeOrLongerThanTheRefreshInterval() {
        for (final String bad : new String[] {"0", "-1", "0.001", "101", "NaN", "soon"}) {
            final ConfigException e = assertThrows(ConfigException.class, () -> spread(bad), bad);
            assertTrue(e.getMessage().contains(TrainerConfig.BANK_REFRESH_SPREAD_EPOCHS_CONFIG), e.getMessage());
        }
        final ConfigException e = assertThrows(ConfigException.class, () -> spread("1.5", "1"));
        assertTrue(e.getMessage().contains("must not exceed npid.bank.refresh.epochs (1)"), e.getMessage());
        assertEquals(3.0, spread("3", "3").bankRefreshSpreadEpochs());
        assertEquals(50.0, spread("50", "0").bankRefreshSpreadEpochs(), "no refreshes: nothing to overlap");
    }
}
