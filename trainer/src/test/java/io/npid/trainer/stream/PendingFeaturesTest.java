package io.npid.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PendingFeaturesTest {
    @Test
    void shouldPublishEachRowOncePerIntervalWithItsLatestValue() {
        final PendingFeatures pending = new PendingFeatures(1000, 0);
        pending.offer(new int[] {3, 5}, new float[] {1, 0, 0, 1}, 2, 1, 0);
        assertFalse(pending.due(999));
        pending.offer(new int[] {3}, new float[] {0.6f, 0.8f}, 2, 2, 1);
        assertTrue(pending.due(1000));
        final List<PendingFeatures.Row> rows = pending.drain(1000);
        assertEquals(2, rows.size(), "row 3 updated twice is published once");
        assertEquals(5, rows.get(0).row());
        assertEquals(3, rows.get(1).row());
        assertArrayEquals(new float[] {0.6f, 0.8f}, rows.get(1).vector());
        assertEquals(2, rows.get(1).step());
        assertEquals(1, rows.get(1).modelVersion());
        pending.offer(new int[] {3}, new float[] {1, 0}, 2, 3, 1);
        assertFalse(pending.due(1999), "the interval restarts at the flush");
        assertTrue(pending.due(2000));
    }

    @Test
    void shouldPublishAfterEveryStepWithAZeroInterval() {
        final PendingFeatures pending = new PendingFeatures(0, 0);
        assertFalse(pending.due(0), "nothing pending");
        pending.offer(new int[] {0}, new float[] {1, 0}, 2, 1, 0);
        assertTrue(pending.due(0));
        assertEquals(1, pending.drain(0).size());
        assertEquals(0, pending.size());
    }

    @Test
    void shouldCopyTheOfferedValues() {
        final PendingFeatures pending = new PendingFeatures(0, 0);
        final float[] values = {1, 0};
        pending.offer(new int[] {0}, values, 2, 1, 0);
        values[0] = 42;
        assertArrayEquals(new float[] {1, 0}, pending.drain(0).get(0).vector());
    }
}
