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

/** {@code npid bench ingest} on a small bank and two short rates: every new image is published and timed. */
class BenchIngestCommandIT {

    @TempDir
    Path dir;

    @Test
    void shouldTimeNewImagesWhileTraining() throws IOException {
        final Path json = dir.resolve("ingest.json");
        final CommandLine cl = NpidCommand.newCommandLine();
        final StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));

        final int code = cl.execute(
                "bench",
                "ingest",
                "--bank",
                "300",
                "--batch-size",
                "32",
                "--rates",
                "5,20",
                "--seconds",
                "2",
                "--json",
                json.toString());

        assertEquals(0, code, err.toString());
        final JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertEquals(300, figures.get("bank").asInt(), figures.toString());
        for (final int rate : new int[] {5, 20}) {
            final String p = "rate_" + rate + "_";
            assertEquals(rate * 2, figures.get(p + "sent").asInt(), figures.toString());
            assertEquals(rate * 2, figures.get(p + "published").asInt(), "every new image published: " + figures);
            assertTrue(figures.get(p + "p50_ms").asDouble() > 0, figures.toString());
            assertTrue(
                    figures.get(p + "p99_ms").asDouble()
                            >= figures.get(p + "p50_ms").asDouble(),
                    figures.toString());
            assertTrue(figures.get(p + "train_images_per_s").isNumber(), figures.toString());
            assertTrue(figures.get(p + "max_lag").asLong() >= 0, figures.toString());
        }
        assertTrue(figures.get("steps_during_bench").asLong() > 0, "the trainer trained: " + figures);
        assertTrue(figures.get("train_images_per_s_without_new_images").isNumber(), figures.toString());
    }
}
