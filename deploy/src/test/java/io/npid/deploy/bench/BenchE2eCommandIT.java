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

/** {@code npid bench e2e} on a small bank: every figure is measured, every new image is found. */
class BenchE2eCommandIT {

    @TempDir
    Path dir;

    @Test
    void shouldMeasureLatencyThroughputAndIngestToQueryable() throws IOException {
        final Path json = dir.resolve("e2e.json");
        final CommandLine cl = NpidCommand.newCommandLine();
        final StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));

        final int code = cl.execute(
                "bench",
                "e2e",
                "--features",
                "600",
                "--queries",
                "40",
                "--in-flight",
                "8",
                "--fresh-images",
                "3",
                "--json",
                json.toString());

        assertEquals(0, code, err.toString());
        final JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertEquals(600, figures.get("features").asInt(), figures.toString());
        assertTrue(figures.get("p99_ms").asDouble() >= figures.get("p50_ms").asDouble(), figures.toString());
        assertTrue(figures.get("queries_per_s").asDouble() > 0, figures.toString());
        assertEquals(3, figures.get("ingest_to_queryable_images").asInt(), "every new image found: " + figures);
        assertTrue(figures.get("ingest_to_queryable_p50_ms").asDouble() > 0, figures.toString());
    }
}
