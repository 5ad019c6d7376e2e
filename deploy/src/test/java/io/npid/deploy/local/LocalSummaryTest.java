package io.npid.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.report.CurvePoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalSummaryTest {
    private static final LocalSummary SUMMARY = summary(Map.of());

    private static LocalSummary summary(final Map<String, String> settings) {
        return new LocalSummary(
                "fashion-mnist",
                "small",
                10_000,
                3,
                1000,
                998,
                700,
                0,
                21.5,
                80.25,
                25.0,
                1500,
                9000,
                180,
                235,
                170.4,
                7,
                480,
                List.of(new CurvePoint(0, 0, Double.NaN, 0.64), new CurvePoint(10, 0.1, 8.7, Double.NaN)),
                Map.of("embed", 9.0, "index", 11.0, "deliver", 1.5),
                612.5,
                settings,
                new LocalVote(0.03, "validation", 0.88, 0.87, 6000));
    }

    @Test
    void shouldComputeAccuracyOverAnsweredQueries() {
        assertEquals(700.0 / 998, SUMMARY.knnTop1(), 1e-12);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldWriteTheIssueKeys() {
        final Map<String, Object> json = SUMMARY.toJson();

        assertEquals(700.0 / 998, (double) json.get("knn_top1"), 1e-12);
        assertEquals(1000, json.get("queries"));
        assertEquals(998, json.get("results"));
        assertEquals(21.5, ((Map<String, Object>) json.get("latency_ms")).get("p50"));
        assertEquals(80.25, ((Map<String, Object>) json.get("latency_ms")).get("p99"));
        assertEquals(1500.0, json.get("ingest_images_per_s"));
        assertEquals(612.5, json.get("store_bytes_per_image"));
        assertEquals(180.0, json.get("train_images_per_s"));
        assertEquals(3, json.get("epochs"));
        assertEquals(1, ((List<?>) json.get("knn_during_training")).size(), "only accuracy probes are listed");
        assertEquals(
                Map.of(
                        "temperature", 0.03,
                        "chosen_by", "validation",
                        "validation_top1", 0.88,
                        "validation_top1_at_0.07", 0.87,
                        "validation_images", 6000),
                json.get("vote"));
        assertEquals(
                Map.of("temperature", 0.07, "chosen_by", "set"),
                LocalVote.given(0.07, "set").toJson(),
                "no validation figures when T was given");
    }

    @Test
    void shouldPrintOneLinePerFigure() {
        final StringWriter text = new StringWriter();

        SUMMARY.print(new PrintWriter(text));

        assertTrue(text.toString().contains("70.14% (700 of 998)"), text.toString());
        assertTrue(text.toString().contains("21.5 / 80.3 / 25.0 ms"), text.toString());
        assertTrue(text.toString().contains("9.0 / 11.0 / 1.5 ms"), text.toString());
        assertTrue(text.toString().contains("64.0%"), "probe listed: " + text);
        assertTrue(
                text.toString().contains("0.03, chosen on 6,000 held-out training images (validation 88.0%; 87.0% at"),
                text.toString());
        // the closing train: line printed 235 steps in 2:50 (1.4 steps/s); the summary says the same
        assertTrue(
                text.toString()
                        .contains("235 steps in 2:50 (1.4 steps/s, bank refreshes included); 180 "
                                + "images/s while stepping"),
                text.toString());
        assertTrue(text.toString().contains("1,500 images/s"), text.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldCarryTheRunsSettingsIntoTheJson() {
        assertEquals(Map.of(), SUMMARY.toJson().get("settings"), "none recorded");
        final LocalSummary traced = summary(Map.of("npid.low.dim", "128", "sasl.jaas.config", "[hidden]"));

        final Map<String, Object> settings =
                (Map<String, Object>) traced.toJson().get("settings");

        assertEquals("128", settings.get("npid.low.dim"));
        assertEquals("[hidden]", settings.get("sasl.jaas.config"));
        assertEquals(SUMMARY.knnTop1(), traced.knnTop1(), "the figures are unchanged");
    }
}
