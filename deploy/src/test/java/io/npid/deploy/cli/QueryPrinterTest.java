package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.client.SkipReason;
import io.npid.deploy.client.SkippedImageException;
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
    private static final ClassificationResult RESULT = ClassificationResult.newBuilder()
            .setQueryId("q-1")
            .setStatus(ResultStatus.OK)
            .setLabel(2)
            .setScores(List.of(new ClassScore(1, 1.0e6, null), new ClassScore(2, 3.0e6, null)))
            .setNeighbours(
                    List.of(new Neighbour("train-00007", 0.93f, 2, null), new Neighbour("train-00002", 0.91f, 1, null)))
            .setModelVersion(4)
            .build();

    @Test
    void shouldPrintLabelVoteSharesAndNeighbours() {
        final StringWriter text = new StringWriter();

        new QueryPrinter(NAMES, 5)
                .print(new PrintWriter(text, true), "shape.png", "ring", new QueryOutcome("q-1", RESULT, 12.5, 0));

        final String out = text.toString();
        assertTrue(out.startsWith("shape.png  ->  square  (OK, model v4, 12.5 ms)  wrong, is ring"), out);
        assertTrue(out.contains("vote       square 75%, ring 25%"), out);
        assertTrue(out.contains("neighbours train-00007 (square) 0.930, train-00002 (ring) 0.910"), out);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveSharesAndNamesInJson() {
        final Map<String, Object> json =
                new QueryPrinter(NAMES, 1).toJson("shape.png", null, new QueryOutcome("q-1", RESULT, 12.5, 1));

        assertEquals("square", json.get("className"));
        final List<Map<String, Object>> scores = (List<Map<String, Object>>) json.get("scores");
        assertEquals(0.75, (double) scores.get(0).get("share"), 1e-12);
        assertEquals(1, ((List<?>) json.get("neighbours")).size(), "--neighbours 1");
        assertEquals(1, json.get("duplicates"));
    }

    @Test
    void shouldNameClassesAndNeighboursByTheNamesTheResultCarries() {
        final ClassificationResult named = ClassificationResult.newBuilder()
                .setQueryId("q-3")
                .setStatus(ResultStatus.OK)
                .setLabel(null)
                .setClassName("tabby")
                .setScores(List.of(new ClassScore(-1, 2.0, "tabby"), new ClassScore(-1, 2.0, "siamese")))
                .setNeighbours(List.of(
                        new Neighbour("myimgs/cats/tabby/7.jpg", 0.9f, -1, "tabby"),
                        new Neighbour("train-00002", 0.8f, 1, null)))
                .setModelVersion(2)
                .build();
        final StringWriter text = new StringWriter();

        new QueryPrinter(NAMES, 5)
                .print(new PrintWriter(text, true), "q/cat.jpg", "tabby", new QueryOutcome("q-3", named, 3.0, 0));
        final Map<String, Object> json =
                new QueryPrinter(NAMES, 5).toJson("q/cat.jpg", "tabby", new QueryOutcome("q-3", named, 3.0, 0));

        final String out = text.toString();
        assertTrue(out.startsWith("q/cat.jpg  ->  tabby  (OK, model v2, 3.0 ms)  right"), out);
        assertTrue(out.contains("vote       tabby 50%, siamese 50%"), out);
        assertTrue(out.contains("neighbours myimgs/cats/tabby/7.jpg (tabby) 0.900, train-00002 (ring) 0.800"), out);
        assertEquals("tabby", json.get("className"));
        assertEquals("tabby", json.get("trueClassName"));
    }

    @Test
    void shouldSayWhichFileWasSkippedAndWhy() {
        final StringWriter text = new StringWriter();
        final SkippedImageException skip = new SkippedImageException(
                SkipReason.TOO_LARGE,
                "q/big.jpg",
                "9,437,184 bytes, over the 8,388,608-byte limit npid.image.max.bytes");

        new QueryPrinter(NAMES, 5).printSkipped(new PrintWriter(text, true), skip);
        final Map<String, Object> json = new QueryPrinter(NAMES, 5).skippedJson(skip);

        assertEquals(
                "q/big.jpg  ->  skipped: too large (9,437,184 bytes, over the 8,388,608-byte limit "
                        + "npid.image.max.bytes)",
                text.toString().strip());
        assertEquals("SKIPPED", json.get("status"));
        assertEquals("too-large", json.get("reason"));
        assertEquals("q/big.jpg", json.get("query"));
    }

    @Test
    void shouldSayWhenNoAnswerCame() {
        final StringWriter text = new StringWriter();

        new QueryPrinter(NAMES, 5)
                .print(new PrintWriter(text, true), "x.png", null, new QueryOutcome("q-2", null, Double.NaN, 0));

        assertEquals("x.png  ->  no answer", text.toString().strip());
    }
}
