package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration errors of {@code npid trainer}, found before any connection is made. */
class TrainerCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldNameTheSettingOfAnInvalidLearnerValue() {
        final CliResult result = CliResult.run(
                "trainer",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--state-dir",
                dir.toString(),
                "--set",
                "npid.batch.size=0");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(
                result.err().startsWith("npid: Invalid value 0 for configuration npid.batch.size"), result.toString());
    }

    @Test
    void shouldRejectUnknownBackboneFromItsFlag() {
        final CliResult result = CliResult.run(
                "trainer", "--bootstrap-servers", "127.0.0.1:1", "--state-dir", dir.toString(), "--backbone", "vgg");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("vgg") && result.err().contains("npid.backbone"), result.toString());
    }

    @Test
    void shouldSendKafkaSettingsGivenWithSetBackToKafkaOption() {
        final CliResult result = CliResult.run(
                "trainer", "--bootstrap-servers", "127.0.0.1:1", "--state-dir", dir.toString(), "--set", "linger.ms=5");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("give Kafka client settings with --kafka"), result.toString());
    }

    @Test
    void shouldRequireStateDir() {
        final CliResult result = CliResult.run("trainer", "--bootstrap-servers", "127.0.0.1:1");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("--state-dir"), result.toString());
    }

    @Test
    void shouldRefuseExitAfterTrainingWithoutEpochs() {
        final CliResult result = CliResult.run(
                "trainer",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--state-dir",
                dir.toString(),
                "--exit-after-training");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("--epochs"), result.toString());
    }
}
