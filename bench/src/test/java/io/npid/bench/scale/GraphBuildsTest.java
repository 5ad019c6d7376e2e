package io.npid.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.IndexSettings;
import io.npid.indexer.knn.ShardIndex;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The scale benchmark's wait for HNSW graph builds: it sees the indexer's build threads and waits for them. */
class GraphBuildsTest {

    @Test
    void shouldSeeTheThreadsOfTheIndexersGraphBuilds() {
        final ShardIndex index = new ShardIndex(8, 16, new IndexSettings(IndexForm.HNSW, 1, 4, 16, 100, 300, 1));
        final SplittableRandom random = new SplittableRandom(7);
        final float[] vector = new float[8];
        for (int row = 0; row < 3000; row++) {
            for (int d = 0; d < vector.length; d++) {
                vector[d] = (float) random.nextGaussian();
            }
            index.put("img-" + row, vector);
        }
        index.awaitSearchStructure();

        // the build ran on a pool thread of the indexer, which stays a minute after its build
        assertTrue(GraphBuilds.threads() >= 1, "no thread named " + GraphBuilds.THREAD_PREFIX + "*");
    }

    @Test
    void shouldWaitUntilNoBuildThreadRuns() throws Exception {
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch started = new CountDownLatch(1);
        final Thread build = new Thread(
                () -> {
                    started.countDown();
                    long spins = 0;
                    while (!stop.get()) {
                        spins++; // CPU-bound, as a graph build is: RUNNABLE throughout
                    }
                    assertTrue(spins >= 0);
                },
                GraphBuilds.THREAD_PREFIX + "build-test");
        build.start();
        started.await();
        assertThrows(IllegalStateException.class, () -> GraphBuilds.awaitIdle(Duration.ofMillis(600)));

        stop.set(true);
        build.join();
        assertEquals(0, GraphBuilds.running());
        assertTrue(GraphBuilds.awaitIdle(Duration.ofSeconds(30)) >= 0);
    }
}
