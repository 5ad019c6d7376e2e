package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.client.QueryOutcome;
import io.npid.schemas.event.ClassScore;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.Neighbour;
import io.npid.schemas.event.ResultStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryPrinterTest {
    private static final List<String> NAMES = List.of("disc", "ring", "square");
    private static final ClassificationResult RESULT = ClassificationResult.newBuilder().setQueryId("q-1")
        .setStatus(ResultStatus.OK).setLabel(2)
        .setScores(List.of(new ClassScore(1, 1.0e6, null), new ClassScore(2, 3.0e6, null)))
        .setNeighbours(List.of(new Neighbour("train-00007", 0.93f, 2, null), new Neighbour("train-00002", 0.91f, 1, null)))
        .setModelVersion(4).build();

    @Test
    void shouldPrintLabelVoteSharesAndNeighbours() {
        final StringWriter text = new StringWriter();

        new QueryPrinter(NAMES, 5).print(new PrintWriter(text, true), "shape.png", 1,
            new QueryOutcome("q-1", RESULT, 12.5, 0));

        final String out = text.toString();
        assertTrue(out.startsWith("shape.png  ->  2 square  (OK, model v4, 12.5 ms)  wrong, is ring"), out);
        assertTrue(out.contains("vote       square 75%, ring 25%"), out);
        assertTrue(out.contains("neighbours train-00007 (square) 0.930, train-00002 (ring) 0.910"), out);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveSharesAndNamesInJson() {
        final Map<String, Object> json = new QueryPrinter(NAMES, 1).toJson("shape.png", null,
            new QueryOutcome("q-1", RESULT, 12.5, 1));

        assertEquals("square", json.get("className"));
        final List<Map<String, Object>> scores = (List<Map<String, Object>>) json.get("scores");
        assertEquals(0.75, (double) scores.get(0).get("share"), 1e-12);
        assertEquals(1, ((List<?>) json.get("neighbours")).size(), "--neighbours 1");
        assertEquals(1, json.get("duplicates"));
    }

    @Test
    void shouldSayWhenNoAnswerCame() {
        final StringWriter text = new StringWriter();

        new QueryPrinter(NAMES, 5).print(new PrintWriter(text, true), "x.png", null,
            new QueryOutcome("q-2", null, Double.NaN, 0));

        assertEquals("x.png  ->  no answer", text.toString().strip());
    }
}
