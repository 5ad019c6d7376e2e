package io.npid.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.client.QueryOutcome;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.ResultStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalScenarioTest {

    private static QueryOutcome outcome(final long sent, final long embedded, final long answered,
        final double latencyMs) {
        return new QueryOutcome("q", ClassificationResult.newBuilder().setQueryId("q").setStatus(ResultStatus.OK)
            .setQueryTimestampMs(sent).setEmbeddedTimestampMs(embedded).setAnsweredTimestampMs(answered).build(),
            latencyMs, 0);
    }

    @Test
    void shouldSplitLatencyIntoEmbedderIndexerAndDelivery() {
        final Map<String, Double> split = LocalScenario.latencySplit(List.of(
            outcome(1000, 1010, 1030, 32.0), outcome(2000, 2004, 2010, 11.0),
            new QueryOutcome("lost", null, Double.NaN, 0)));

        assertEquals(4.0, split.get("embed"), "nearest-rank median of 10 and 4");
        assertEquals(6.0, split.get("index"));
        assertEquals(1.0, split.get("deliver"));
    }

    @Test
    void shouldGiveNoSplitWithoutAnswers() {
        assertTrue(LocalScenario.latencySplit(List.of(new QueryOutcome("lost", null, Double.NaN, 0))).isEmpty());
    }
}
