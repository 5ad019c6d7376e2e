package io.npid.indexer.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKHeapTest {

    @Test
    void shouldKeepTheKBestOfARandomStreamBestFirst() {
        final Random random = new Random(7);
        final TopKHeap heap = new TopKHeap(50);
        for (int trial = 0; trial < 20; trial++) {
            final int n = 1 + random.nextInt(500);
            final int k = 1 + random.nextInt(50);
            final float[] values = new float[n];
            heap.reset(k);
            for (int i = 0; i < n; i++) {
                // Few distinct values, so that ties are common and their order is checked too.
                values[i] = random.nextInt(20) / 10f - 1f;
                heap.offer(values[i], i);
            }
            final int[] expected = IntStream.range(0, n)
                    .boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -values[i])
                            .thenComparingInt(i -> i))
                    .limit(k)
                    .mapToInt(Integer::intValue)
                    .toArray();
            final int[] slots = new int[k];
            final float[] sims = new float[k];
            final int count = heap.drainDescending(slots, sims, 0);

            assertEquals(Math.min(k, n), count);
            assertArrayEquals(expected, Arrays.copyOf(slots, count), "trial " + trial);
            for (int i = 0; i < count; i++) {
                assertEquals(values[expected[i]], sims[i]);
            }
            assertEquals(0, heap.size(), "draining empties the heap");
        }
    }

    @Test
    void shouldReportTheWorstKeptValueAsThresholdOnceFull() {
        final TopKHeap heap = new TopKHeap(3);
        heap.offer(0.5f, 0);
        heap.offer(0.9f, 1);
        assertEquals(Float.NEGATIVE_INFINITY, heap.threshold());
        heap.offer(0.1f, 2);
        assertEquals(0.1f, heap.threshold());
        heap.offer(0.7f, 3);
        assertEquals(0.5f, heap.threshold());
    }

    @Test
    void shouldRefuseAKOutsideItsCapacity() {
        final TopKHeap heap = new TopKHeap(4);
        assertThrows(IllegalArgumentException.class, () -> heap.reset(5));
        assertThrows(IllegalArgumentException.class, () -> heap.reset(0));
        assertThrows(IllegalArgumentException.class, () -> new TopKHeap(0));
    }
}
