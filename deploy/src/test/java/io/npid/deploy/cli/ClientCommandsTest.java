package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How npid ingest and npid query read their command lines (nothing is sent). */
class ClientCommandsTest {

    private static <T> T parsed(final Class<T> type, final String... args) {
        final CommandLine npid = NpidCommand.newCommandLine();
        final CommandLine.ParseResult result = npid.parseArgs(args);
        return type.cast(result.subcommand().commandSpec().userObject());
    }

    @Test
    void shouldTakeAnyNumberOfQueryPathsAmongTheOptions() {
        final QueryCommand query =
                parsed(QueryCommand.class, "query", "a.jpg", "photos", "--json", "b.png", "--k", "5");

        assertEquals(List.of(Path.of("a.jpg"), Path.of("photos"), Path.of("b.png")), query.paths);
        assertTrue(query.json);
        assertEquals(16, query.inFlight);
    }

    @Test
    void shouldRefuseQueryPathsTogetherWithAFromDataSet() {
        final CliResult both =
                CliResult.run("query", "a.jpg", "--from", "fashion-mnist", "--bootstrap-servers", "127.0.0.1:9");
        final CliResult neither = CliResult.run("query", "--bootstrap-servers", "127.0.0.1:9");

        assertEquals(ExitCodes.USAGE, both.exitCode(), both.toString());
        assertTrue(
                both.err()
                        .contains("give the images to classify as PATHs or take them from a data set with "
                                + "--from, not both"),
                both.toString());
        assertEquals(ExitCodes.USAGE, neither.exitCode(), neither.toString());
    }

    @Test
    void shouldSendLabelsUnlessToldNotToAndKeepTheOldLabelsFlag() {
        assertTrue(parsed(IngestCommand.class, "ingest", "dir").labels, "labels by default");
        assertTrue(parsed(IngestCommand.class, "ingest", "dir", "--labels").labels, "--labels still works");
        assertFalse(parsed(IngestCommand.class, "ingest", "dir", "--no-labels").labels);
        assertEquals(
                List.of(Path.of("a"), Path.of("b.jpg")), parsed(IngestCommand.class, "ingest", "a", "b.jpg").paths);
    }
}
