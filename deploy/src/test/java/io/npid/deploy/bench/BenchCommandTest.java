package io.npid.deploy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.deploy.cli.NpidCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteStoreFiguresUnderTheIssueKeys() throws IOException {
        final Path json = dir.resolve("store.json");

        final int code = run("bench", "store", "--rows", "2000", "--json", json.toString());

        assertEquals(0, code);
        final JsonNode figures = new ObjectMapper().readTree(json.toFile());
        for (String key : new String[] {
            "ingest_images_per_s",
            "read_images_rows_per_s",
            "write_bank_rows_per_s",
            "load_bank_1m_s",
            "disk_bytes_per_million_rows"
        }) {
            assertTrue(figures.get(key).asDouble() > 0, key + " in " + figures);
        }
    }

    @Test
    void shouldWriteTrainingFiguresWithTimeSplit() throws IOException {
        final Path json = dir.resolve("train.json");

        final int code = run(
                "bench", "train", "--steps", "2", "--bank-size", "1000", "--batch", "32", "--json", json.toString());

        assertEquals(0, code);
        final JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertTrue(figures.get("images_per_s").asDouble() > 0, figures.toString());
        assertTrue(figures.get("phase_ms").size() > 0, figures.toString());
    }

    @Test
    void shouldPassLearnerSettingsAndTimeARefresh() throws IOException {
        final Path json = dir.resolve("train-large.json");

        final int code = run(
                "bench",
                "train",
                "--steps",
                "2",
                "--bank-size",
                "1000",
                "--batch",
                "32",
                "--objective",
                "softmax",
                "--set",
                "npid.softmax.max.rows=999",
                "--set",
                "npid.nce.negatives=shared",
                "--set",
                "npid.bank.dtype=float16",
                "--refresh-rows",
                "100",
                "--json",
                json.toString());

        assertEquals(0, code);
        final JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertEquals("nce", figures.get("objective_run").asText(), "1000 rows > 999: the softmax runs as NCE");
        assertEquals(256, figures.get("bank_bytes_per_row").asInt(), "128-d float16 rows");
        assertTrue(figures.get("refresh_rows_per_s").asDouble() > 0, figures.toString());
        assertTrue(figures.get("spread_step_cpu_ms").asDouble() > 0, figures.toString());
        // 1000 rows in batches of 32 are 32 steps an epoch; spread over the default half epoch: 16 slices of 63
        assertEquals(63, figures.get("spread_slice_rows").asInt(), figures.toString());
        assertEquals(16, figures.get("spread_refresh_steps").asInt(), figures.toString());
    }

    @Test
    void shouldWriteKnnFiguresWithRecall() throws IOException {
        final Path json = dir.resolve("knn.json");

        final int code = run("bench", "knn", "--n", "5000", "--k", "20", "--queries", "200", "--json", json.toString());

        assertEquals(0, code);
        final JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertTrue(figures.get("batch_queries_per_s").asDouble() > 0, figures.toString());
        assertTrue(figures.get("single_queries_per_s").asDouble() > 0, figures.toString());
        assertEquals(1.0, figures.get("recall_at_k").asDouble(), 1e-9, "exact search: " + figures);
    }

    @Test
    void shouldMeasureEveryHnswSearchWidthOnOneGraph() throws IOException {
        final Path json = dir.resolve("knn-hnsw.json");

        final int code = run(
                "bench",
                "knn",
                "--n",
                "3000",
                "--k",
                "20",
                "--queries",
                "100",
                "--index",
                "hnsw",
                "--ef-search",
                "40,80",
                "--json",
                json.toString());

        assertEquals(0, code);
        final JsonNode figures = new ObjectMapper().readTree(json.toFile());
        final JsonNode widths = figures.get("by_ef_search");
        assertEquals(2, widths.size(), figures.toString());
        assertEquals(40, widths.get(0).get("hnsw_ef_search").asInt());
        assertEquals(80, widths.get(1).get("hnsw_ef_search").asInt());
        for (final JsonNode width : widths) {
            assertTrue(width.get("single_queries_per_s").asDouble() > 0, width.toString());
            assertTrue(width.get("recall_at_k").asDouble()
                    >= width.get("recall_at_k_min").asDouble());
        }
        assertEquals(1, figures.get("hnsw_build_threads").asInt());
    }

    @Test
    void shouldWriteStoredBytesPerImageBoundedForPhotos() throws IOException {
        final Path json = dir.resolve("images.json");

        final int code = run("bench", "images", "--count", "50", "--photos", "1", "--json", json.toString());

        assertEquals(0, code);
        final JsonNode results = new ObjectMapper().readTree(json.toFile()).get("results");
        assertEquals(3, results.size(), results.toString());
        final JsonNode photo = results.get(2);
        assertEquals("49x37x3", photo.get("storedShape").asText(), "a 4000x3000 photo kept at 37 px: " + photo);
        assertEquals(36_000_000, photo.get("rawBytesPerImage").asDouble(), 1e-6);
        assertTrue(photo.get("lz4BytesPerImage").asDouble() < 49 * 37 * 3 * 1.2, photo.toString());
        assertTrue(results.get(0).get("lz4BytesPerImage").asDouble() > 0, results.toString());
    }

    @Test
    void shouldWriteSerdeFiguresPerRecordType() throws IOException {
        final Path json = dir.resolve("serde.json");

        final int code = run("bench", "serde", "--seconds", "0.05", "--rounds", "1", "--json", json.toString());

        assertEquals(0, code);
        final JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertEquals("serde", figures.get("benchmark").asText());
        for (String record : new String[] {"imageEvent28x28", "featureEvent128d"}) {
            assertTrue(figures.get(record).get("encodePerSecond").asDouble() > 0, record + " in " + figures);
            assertTrue(figures.get(record).get("encodedBytes").asInt() > 0, record + " in " + figures);
        }
    }

    @Test
    void shouldListTheJmhBenchmarks() {
        assertEquals(0, run("bench", "jmh", "-l"));
    }

    @Test
    void shouldRefuseZeroSteps() {
        assertEquals(2, run("bench", "train", "--steps", "0"));
    }

    private static int run(final String... args) {
        final CommandLine cl = NpidCommand.newCommandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }
}
