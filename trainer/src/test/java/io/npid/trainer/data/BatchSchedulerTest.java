package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class BatchSchedulerTest {

    @Test
    void shouldVisitEveryRowOncePerEpoch() throws InterruptedException {
        final BatchScheduler scheduler = new BatchScheduler(10, 1);
        scheduler.setSize(50);
        final BitSet seen = new BitSet();
        for (int i = 0; i < 5; i++) {
            final BatchScheduler.Batch batch = scheduler.next(0);
            assertEquals(0, batch.epoch());
            for (final int row : batch.rows()) {
                assertTrue(!seen.get(row), "row " + row + " twice in one epoch");
                seen.set(row);
            }
        }
        assertEquals(50, seen.cardinality());
        assertEquals(1, scheduler.next(0).epoch());
    }

    @Test
    void shouldTrainNewRowsFirst() throws InterruptedException {
        final BatchScheduler scheduler = new BatchScheduler(4, 1);
        scheduler.setSize(100);
        scheduler.next(0);
        scheduler.addNewRows(new int[] {100, 101});
        final int[] rows = scheduler.next(0).rows();
        assertEquals(100, rows[0]);
        assertEquals(101, rows[1]);
        assertEquals(102, scheduler.size());
    }

    @Test
    void shouldNeverRepeatARowWithinABatchWhenTheBankIsSmall() throws InterruptedException {
        final BatchScheduler scheduler = new BatchScheduler(128, 3);
        scheduler.setSize(5);
        for (int i = 0; i < 20; i++) {
            final int[] rows = scheduler.next(0).rows();
            assertEquals(5, rows.length);
            assertEquals(5, Arrays.stream(rows).distinct().count());
        }
    }

    @Test
    void shouldResumeTheSameSequenceFromItsState() throws InterruptedException {
        final BatchScheduler a = new BatchScheduler(7, 9);
        a.setSize(30);
        a.next(0);
        a.next(0);
        final BatchScheduler.State state = a.state();
        final BatchScheduler b = new BatchScheduler(7, 9);
        b.restore(state);
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(a.next(0).rows(), b.next(0).rows());
        }
    }

    @Test
    void shouldReturnNullWhenThereAreNoRows() throws InterruptedException {
        assertNull(new BatchScheduler(4, 1).next(10));
    }
}
