package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer that cannot start says why in one line, with its exit code and without an ERROR log line or a stack
 * trace before it (issue 15: a partition-count mismatch printed both).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerStartIT {

    @TempDir
    Path dir;

    @Test
    void shouldReportAPartitionMismatchInOneLineWithoutAStackTrace(@BootstrapServers final String bootstrap) {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        CliResult.run("topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--partitions", "1");

        final ByteArrayOutputStream logs = new ByteArrayOutputStream();
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final CliResult result;
        try (PrintStream captured = new PrintStream(logs, true, StandardCharsets.UTF_8)) {
            System.setOut(captured);
            System.setErr(captured);
            result = CliResult.run(
                    "trainer",
                    "--bootstrap-servers",
                    bootstrap,
                    "--topic-prefix",
                    prefix,
                    "--partitions",
                    "2",
                    "--state-dir",
                    dir.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        final String logged = logs.toString(StandardCharsets.UTF_8);
        final String all = result + "--- logs ---\n" + logged;

        assertEquals(ExitCodes.STATE, result.exitCode(), all);
        final String[] lines = result.err().strip().split("\n");
        assertTrue(lines[0].startsWith("trainer: StreamingTrainerConfig"), all);
        assertTrue(lines[lines.length - 1].startsWith("npid: ") && lines[lines.length - 1].contains("partitions"), all);
        assertFalse(
                logged.contains("ERROR")
                        || logged.contains("\tat ")
                        || result.err().contains("\tat "),
                all);
    }
}
