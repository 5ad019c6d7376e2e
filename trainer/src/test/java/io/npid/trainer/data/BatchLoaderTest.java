package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    @Test
    void shouldDeliverAugmentedBatchesReproducibly() throws InterruptedException {
        final LabelledImages data = SyntheticShapes.generate(40, 1);
        final AugmentationSpec spec = AugmentationSpec.defaults(28, 1);
        final AugmentedBatch first;
        final AugmentedBatch again;
        try (BatchLoader loader = new BatchLoader(scheduler(40), new InMemoryImageSource(data.images()), spec, 5, 2)) {
            first = loader.take();
            assertEquals(16, first.count());
            assertEquals(16 * 28 * 28, first.pixels().length);
        }
        try (BatchLoader loader = new BatchLoader(scheduler(40), new InMemoryImageSource(data.images()), spec, 5, 2)) {
            again = loader.take();
        }
        assertArrayEquals(first.rows(), again.rows());
        assertArrayEquals(first.pixels(), again.pixels());
    }

    @Test
    void shouldSurfaceAFailureOfTheSource() throws InterruptedException {
        final ImageSource broken = rows -> {
            throw new IllegalStateException("store is closed");
        };
        try (BatchLoader loader = new BatchLoader(scheduler(10), broken, AugmentationSpec.defaults(28, 1), 1, 1)) {
            Thread.sleep(200);
            final IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> loader.poll(10, TimeUnit.MILLISECONDS));
            assertEquals("store is closed", e.getCause().getMessage());
        }
    }

    @Test
    void shouldWaitForRowsAndServeNewOnes() throws InterruptedException {
        final List<DecodedImage> images = SyntheticShapes.generate(4, 2).images();
        final BatchScheduler scheduler = new BatchScheduler(16, 1);
        try (BatchLoader loader =
                new BatchLoader(scheduler, new InMemoryImageSource(images), AugmentationSpec.defaults(28, 1), 1, 1)) {
            assertEquals(null, loader.poll(150, TimeUnit.MILLISECONDS));
            scheduler.addNewRows(new int[] {0, 1, 2, 3});
            assertEquals(4, loader.take().count());
        }
    }

    private static BatchScheduler scheduler(final int n) {
        final BatchScheduler s = new BatchScheduler(16, 3);
        s.setSize(n);
        return s;
    }
}
