package io.npid.deploy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/**
 * {@code npid bench scale} at 2,000 rows on one partition: every row produced comes back after each restart (the
 * changelog-only restart restores every row from the changelog, the state-dir one none), every query is answered
 * and finds its own row; the figures are consistent. No timing is asserted.
 */
class BenchScaleCommandIT {

    private static final int ROWS = 2000;

    @TempDir
    Path dir;

    @Test
    void shouldRestoreEveryRowAndAnswerEveryQuery() throws IOException {
        final Path json = dir.resolve("scale.json");
        final StringWriter err = new StringWriter();

        final int code = run(
                err,
                "bench",
                "scale",
                "--rows",
                Integer.toString(ROWS),
                "--partitions",
                "1",
                "--queries",
                "30",
                "--rate",
                "20",
                "--objectives",
                "none",
                "--json",
                json.toString());

        assertEquals(0, code, err.toString());
        final JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertEquals(ROWS, figures.get("rows").asInt());
        assertEquals(1, figures.get("indexer").size(), figures.toString());
        final JsonNode run = figures.get("indexer").get(0);
        assertEquals(ROWS, run.get("rows_produced").asInt(), run.toString());
        assertEquals(30, run.get("queries_sent").asInt(), run.toString());
        assertEquals(
                run.get("queries_sent").asInt(), run.get("queries_answered").asInt(), run.toString());
        assertEquals(run.get("queries_sent").asInt(), run.get("queries_ok").asInt(), run.toString());
        // exact search: a query that is a row of the bank finds that row first
        assertEquals(
                run.get("queries_sent").asInt(), run.get("queries_self_hit").asInt(), run.toString());
        assertTrue(run.get("query_p50_ms").asDouble() <= run.get("query_p99_ms").asDouble(), run.toString());
        assertTrue(run.get("query_p50_ms").asDouble() > 0, run.toString());
        // the restored indexer is queried at the same rate again (with HNSW, once its graph is built)
        assertEquals(30, run.get("restore_state_dir_queries_answered").asInt(), run.toString());
        assertEquals(30, run.get("restore_state_dir_queries_self_hit").asInt(), run.toString());
        assertTrue(
                run.get("restore_state_dir_query_p50_ms").asDouble()
                        <= run.get("restore_state_dir_query_p99_ms").asDouble(),
                run.toString());
        // the wait for graph builds is reported (an exact index starts none, so it ends after two idle polls)
        final double buildWait = run.path("graph_builds_after_ingest_s").asDouble(Double.NaN);
        assertTrue(Double.isFinite(buildWait) && buildWait >= 0, run.toString());
        for (String restart : new String[] {"restore_state_dir", "restore_changelog"}) {
            assertEquals(ROWS, run.get(restart + "_rows").asLong(), restart + ": " + run);
            assertEquals(
                    run.get(restart + "_checked").asInt(),
                    run.get(restart + "_self_hits").asInt(),
                    restart + ": " + run);
            assertTrue(run.get(restart + "_s").asDouble() > 0, restart + ": " + run);
        }
        assertEquals(0, run.get("restore_state_dir_changelog_records").asLong(), "the state dir was kept: " + run);
        assertEquals(ROWS, run.get("restore_changelog_changelog_records").asLong(), "changelog only: " + run);
        for (String key : new String[] {
            "state_dir_bytes_per_row",
            "changelog_bytes_per_row",
            "features_topic_bytes_per_row",
            "ingest_features_per_s"
        }) {
            assertTrue(run.get(key).asDouble() > 0, key + " in " + run);
        }
        // a 128-d float vector is 512 bytes: the changelog holds at least that per row, compressed or not
        assertTrue(run.get("changelog_bytes_per_row").asDouble() >= 512, run.toString());
        assertEquals(0, figures.get("trainer").size(), figures.toString());
    }

    @Test
    void shouldRefuseNoneWithOtherForms() {
        final StringWriter err = new StringWriter();

        final int code = run(err, "bench", "scale", "--rows", "10", "--index", "none,exact", "--objectives", "none");

        assertNotEquals(0, code);
        assertTrue(err.toString().contains("none stands alone"), err.toString());
    }

    private static int run(final StringWriter err, final String... args) {
        final CommandLine cl = NpidCommand.newCommandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
