package io.npid.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.report.CurvePoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingRecorderTest {

    @Test
    void shouldPlaceStepsAndProbesOnTheEpochAxis() {
        final TrainingRecorder recorder = new TrainingRecorder(100, 1000);

        for (int step = 1; step <= 15; step++) {
            recorder.onStep(step, step / 10, 5f - step * 0.1f, 1000);
        }
        recorder.addProbe(0.7);

        final List<CurvePoint> curve = recorder.curve();
        assertEquals(16, curve.size());
        assertEquals(1.5, curve.get(15).epoch(), 1e-9, "step 15 of 10 per epoch");
        assertEquals(0.7, curve.get(15).knnTop1());
        assertTrue(Double.isNaN(curve.get(15).loss()));
        assertEquals(15, recorder.steps());
    }

    @Test
    void shouldReleaseWaitersOnlyOnceEveryImageIsInTheBank() throws InterruptedException {
        final TrainingRecorder recorder = new TrainingRecorder(100, 1000);

        recorder.onIngest(500, 500, 500, 500);
        assertThrows(IllegalStateException.class, () -> recorder.awaitAllIngested(0));
        recorder.onIngest(500, 500, 500, 1000);

        assertTrue(recorder.awaitAllIngested(0) > 0);
    }
}
