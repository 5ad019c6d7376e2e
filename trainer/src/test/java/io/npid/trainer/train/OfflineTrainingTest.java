package io.npid.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfflineTrainingTest {

    @Test
    void shouldLearnFeaturesThatClassifySyntheticShapesByKnn() throws InterruptedException {
        final LabelledImages train = Datasets.synthetic(600, 1);
        final LabelledImages test = Datasets.synthetic(200, 2);
        final TrainerConfig config = TrainerConfig.defaults()
                .with(Map.of(
                        TrainerConfig.BATCH_SIZE_CONFIG,
                        "64",
                        TrainerConfig.DEVICE_CONFIG,
                        "cpu",
                        TrainerConfig.KNN_K_CONFIG,
                        "20",
                        TrainerConfig.SEED_CONFIG,
                        "3",
                        TrainerConfig.THREADS_CONFIG,
                        "1"));
        final List<OfflineTraining.EpochReport> seen = new ArrayList<>();
        final List<OfflineTraining.EpochReport> reports = OfflineTraining.run(
                config, train, test, new OfflineTraining.Options(3, 0, true, true, true), seen::add);
        assertEquals(reports, seen);
        assertEquals(4, reports.size());
        final OfflineTraining.EpochReport untrained = reports.get(0);
        final OfflineTraining.EpochReport last = reports.get(3);
        assertEquals(0, untrained.steps());
        assertEquals(untrained.bankKnn(), untrained.recomputedKnn(), 1e-9, "bank = embeddings before training");
        assertEquals(10, last.steps());
        assertTrue(last.imagesPerSecond() > 0);
        // Chance is 0.1 for ten classes; a broken encoder or vote lands near it.
        assertTrue(last.recomputedKnn() > 0.25, "kNN top-1 on 10 synthetic classes after 3 epochs: " + last);
        assertTrue(last.meanLoss() < reports.get(1).meanLoss(), "the loss should fall over 3 epochs: " + reports);
        // the linear classifier runs after the last epoch only
        assertTrue(last.bankLinear() > 0.25, "linear top-1 on 10 synthetic classes after 3 epochs: " + last);
        assertTrue(Double.isNaN(reports.get(2).bankLinear()), reports.get(2).toString());
    }
}
