package io.npid.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.IndexSettings;
import io.npid.indexer.knn.ShardIndex;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scale benchmark's wait for HNSW graph builds ends once the indexer's background build is done. */
class GraphBuildsTest {

    @Test
    void shouldReturnOnceTheBackgroundBuildIsDone() throws Exception {
        final ShardIndex index = new ShardIndex(8, 16, new IndexSettings(IndexForm.HNSW, 1, 4, 16, 100, 300, 1));
        final SplittableRandom random = new SplittableRandom(7);
        index.beginLoad();
        for (int row = 0; row < 3000; row++) {
            final float[] vector = new float[8];
            for (int d = 0; d < vector.length; d++) {
                vector[d] = (float) random.nextGaussian();
            }
            index.put("img-" + row, vector);
        }
        index.endLoad(); // the one build of the load goes to the background

        GraphBuilds.awaitIdle(Duration.ofMinutes(2));

        assertEquals(0, ShardIndex.graphBuildsInFlight());
        assertFalse(Double.isNaN(index.graphSampleRecall()), "the graph is built when the wait ends");
    }
}
