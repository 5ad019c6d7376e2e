package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A misspelt setting stops every command at start with exit 2 and one line naming the closest known key, instead of
 * running with the default (issue 15).
 */
class UnknownSettingsTest {

    @TempDir
    Path dir;

    private List<String> process(final String command, final String... more) {
        final List<String> args = new ArrayList<>(List.of(command, "--bootstrap-servers", "127.0.0.1:1"));
        if (command.equals("trainer")) {
            args.addAll(List.of("--state-dir", dir.toString()));
        }
        args.addAll(List.of(more));
        return args;
    }

    private static void assertRefusedInOneLine(final CliResult result, final String key, final String suggestion) {
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("npid: Invalid value"), result.toString());
        assertTrue(
                result.err().contains("configuration " + key + ": unknown setting (did you mean " + suggestion + "?)"),
                result.toString());
        assertEquals(1, result.err().strip().lines().count(), "one line, no stack trace: " + result);
    }

    @Test
    void shouldRefuseATypoInTheLearnerSettingsOfTheTrainer() {
        assertRefusedInOneLine(
                CliResult.run(process("trainer", "--set", "npid.lrr=0.1").toArray(String[]::new)),
                "npid.lrr",
                "npid.lr");
    }

    @Test
    void shouldRefuseATypoInTheStoreSettingsOfTheTrainer() {
        assertRefusedInOneLine(
                CliResult.run(
                        process("trainer", "--set", "store.sync.write=true").toArray(String[]::new)),
                "store.sync.write",
                "store.sync.writes");
    }

    @Test
    void shouldRefuseATypoGivenToTheEmbedderAndTheIndexer() {
        assertRefusedInOneLine(
                CliResult.run(process("embedder", "--set", "npid.embedder.max.bach.size=8")
                        .toArray(String[]::new)),
                "npid.embedder.max.bach.size",
                "npid.embedder.max.batch.size");
        assertRefusedInOneLine(
                CliResult.run(process("indexer", "--set", "npid.indexer.kernal=scalar")
                        .toArray(String[]::new)),
                "npid.indexer.kernal",
                "npid.indexer.kernel");
    }

    @Test
    void shouldRefuseASettingOfAnotherProcessGivenWithSet() {
        // --set names one process: an indexer key given to the embedder is a mistake too
        final CliResult result = CliResult.run(
                process("embedder", "--set", "npid.indexer.kernel=scalar").toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("npid.indexer.kernel: unknown setting"), result.toString());
    }

    @Test
    void shouldRefuseATypoInLocalAndBenchLearn() {
        assertRefusedInOneLine(CliResult.run("local", "--synthetic", "--set", "npid.lrr=0.1"), "npid.lrr", "npid.lr");
        assertRefusedInOneLine(
                CliResult.run("bench", "learn", "--dataset", "synthetic", "--set", "npid.lrr=0.1"),
                "npid.lrr",
                "npid.lr");
    }

    @Test
    void shouldRefuseATypoInTheConfigFileButAcceptOtherProcessesSettings() throws IOException {
        final Path file = dir.resolve("npid.properties");
        Files.writeString(file, "npid.indexer.k=50\nnpid.embedder.max.batch.size=8\nnpid.knn.kk=3\n");
        final CliResult result =
                CliResult.run(process("embedder", "--config", file.toString()).toArray(String[]::new));
        assertRefusedInOneLine(result, "npid.knn.kk", "npid.knn.k");
    }

    @Test
    void shouldRefuseAnInvalidKafkaValueAtStartWithItsValidValues() {
        final CliResult result =
                CliResult.run(process("indexer", "--kafka", "acks=foo").toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("npid: Invalid value foo for configuration acks: "), result.toString());
        assertTrue(result.err().contains("all"), result.toString());
        assertFalse(result.err().contains("\tat "), result.toString());
    }
}
