package io.npid.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.client.QueryOutcome;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.ResultStatus;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.LabelledImages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalScenarioTest {

    private static QueryOutcome outcome(
            final long sent, final long embedded, final long answered, final double latencyMs) {
        return new QueryOutcome(
                "q",
                ClassificationResult.newBuilder()
                        .setQueryId("q")
                        .setStatus(ResultStatus.OK)
                        .setQueryTimestampMs(sent)
                        .setEmbeddedTimestampMs(embedded)
                        .setAnsweredTimestampMs(answered)
                        .build(),
                latencyMs,
                0);
    }

    @Test
    void shouldSplitLatencyIntoEmbedderIndexerAndDelivery() {
        final Map<String, Double> split = LiveQueries.latencySplit(List.of(
                outcome(1000, 1010, 1030, 32.0),
                outcome(2000, 2004, 2010, 11.0),
                new QueryOutcome("lost", null, Double.NaN, 0)));

        assertEquals(4.0, split.get("embed"), "nearest-rank median of 10 and 4");
        assertEquals(6.0, split.get("index"));
        assertEquals(1.0, split.get("deliver"));
    }

    @Test
    void shouldGiveNoSplitWithoutAnswers() {
        assertTrue(LiveQueries.latencySplit(List.of(new QueryOutcome("lost", null, Double.NaN, 0)))
                .isEmpty());
    }

    @Test
    void shouldCountAnAnswerRightOnlyWhenItNamesTheImagesClass() {
        final DecodedImage pixel = new DecodedImage(1, 1, 1, new byte[1]);
        final LocalImages truth = new LocalPixels(
                new LabelledImages(List.of(pixel, pixel), new int[] {8, 0}, new String[] {
                    "T-shirt/top",
                    "Trouser",
                    "Pullover",
                    "Dress",
                    "Coat",
                    "Sandal",
                    "Shirt",
                    "Sneaker",
                    "Bag",
                    "Ankle boot"
                }),
                "test-",
                "fashion-mnist");
        final ClassificationResult bag = ClassificationResult.newBuilder()
                .setQueryId("q")
                .setStatus(ResultStatus.OK)
                .setClassName("Bag")
                .setLabel(null)
                .build();
        final ClassificationResult eight = ClassificationResult.newBuilder()
                .setQueryId("q")
                .setStatus(ResultStatus.OK)
                .setClassName("8")
                .setLabel(8)
                .build();

        assertTrue(LiveQueries.isRight(bag, truth, 0));
        assertFalse(LiveQueries.isRight(eight, truth, 0), "class 8 of another data set is not Bag");
        assertFalse(LiveQueries.isRight(bag, truth, 1));
        assertFalse(LiveQueries.isRight(
                ClassificationResult.newBuilder()
                        .setQueryId("q")
                        .setStatus(ResultStatus.NO_LABELLED_ROWS)
                        .build(),
                truth,
                0));
    }

    @Test
    void shouldLabelTheSameSeededShareOfTheStreamSpreadOverIt() {
        final java.util.BitSet half = TrainingStream.labelledImages(1000, 0.5, 42);

        assertEquals(500, half.cardinality(), "round(n * fraction) images labelled");
        assertEquals(half, TrainingStream.labelledImages(1000, 0.5, 42), "the seed fixes which");
        assertFalse(half.equals(TrainingStream.labelledImages(1000, 0.5, 43)), "another seed labels others");
        final int firstHalf = half.get(0, 500).cardinality();
        assertTrue(firstHalf > 200 && firstHalf < 300, "spread over the stream, not its start: " + firstHalf);
        assertEquals(333, TrainingStream.labelledImages(1000, 0.333, 1).cardinality());
        assertEquals(1000, TrainingStream.labelledImages(1000, 1.0, 1).cardinality());
        assertEquals(0, TrainingStream.labelledImages(1000, 0.0, 1).cardinality());
        assertEquals(0, TrainingStream.labelledImages(0, 0.5, 1).cardinality());
    }
}
