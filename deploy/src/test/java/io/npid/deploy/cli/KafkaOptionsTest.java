package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaOptionsTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"npid\" password=\"s3cr3t-value\";";

    @TempDir
    Path dir;

    /** A command that prints the config it would connect with, as the real commands log it. */
    @Command(name = "show")
    static final class ShowConfigCommand implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(kafka.toConfig(Map.of("NPID_JAAS", JAAS)::get));
            return 0;
        }
    }

    private static CliResult show(final String... args) {
        final NpidExceptionHandler handler = new NpidExceptionHandler();
        return CliResult.run(
                new CommandLine(new ShowConfigCommand())
                        .setExecutionExceptionHandler(handler)
                        .setParameterExceptionHandler(handler),
                args);
    }

    @Test
    void shouldLayerFileThenFlagsThenServersFlag() throws IOException {
        final Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\nsecurity.protocol=SASL_SSL\nlinger.ms=7\n");

        final CliResult result =
                show("--config", file.toString(), "--kafka", "linger.ms=1", "--bootstrap-servers", "flag:9093");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("bootstrap.servers=flag:9093"), result.toString());
        assertTrue(result.out().contains("linger.ms=1"), result.toString());
        assertTrue(result.out().contains("security.protocol=SASL_SSL"), result.toString());
    }

    @Test
    void shouldReadSecretFromFileAndEnvironmentAndNeverPrintIt() throws IOException {
        final Path secret = dir.resolve("truststore.pass");
        Files.writeString(secret, "trust-me-not\n");

        final CliResult result = show(
                "--bootstrap-servers",
                "k:9092",
                "--kafka-secret",
                "sasl.jaas.config=env:NPID_JAAS",
                "--kafka-secret",
                "ssl.truststore.password=file:" + secret);

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("sasl.jaas.config=[hidden]"), result.toString());
        assertTrue(result.out().contains("ssl.truststore.password=[hidden]"), result.toString());
        assertFalse(result.toString().contains("s3cr3t-value"), result.toString());
        assertFalse(result.toString().contains("trust-me-not"), result.toString());
    }

    @Test
    void shouldMaskSecretsGivenInlineOrInFile() throws IOException {
        final Path file = dir.resolve("client.properties");
        Files.writeString(file, "sasl.jaas.config=" + JAAS.replace("\"", "\\\"") + "\n");

        final CliResult result = show(
                "--config",
                file.toString(),
                "--bootstrap-servers",
                "k:9092",
                "--kafka",
                "ssl.key.password=inline-pass");

        assertEquals(0, result.exitCode(), result.toString());
        assertFalse(result.out().contains("s3cr3t-value") || result.out().contains("inline-pass"), result.toString());
    }

    @Test
    void shouldNameTheSettingWhenEnvironmentVariableIsMissing() {
        final CliResult result =
                show("--bootstrap-servers", "k:9092", "--kafka-secret", "sasl.jaas.config=env:NPID_MISSING");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertEquals(
                "npid: Invalid value env:NPID_MISSING for configuration --kafka-secret sasl.jaas.config: "
                        + "environment variable NPID_MISSING is not set",
                result.err().strip(),
                result.toString());
    }

    @Test
    void shouldRefuseInlineSecretValueWithoutEchoingIt() {
        final CliResult result = show("--bootstrap-servers", "k:9092", "--kafka-secret", "sasl.jaas.config=" + JAAS);

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertFalse(result.toString().contains("s3cr3t-value"), result.toString());
    }

    @Test
    void shouldSuggestTheKnownSettingForATypo() {
        final CliResult result = show("--bootstrap-servers", "k:9092", "--kafka", "sasl.mechanisms=PLAIN");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(
                result.err()
                        .contains("Invalid value sasl.mechanisms for configuration --kafka: not a Kafka client "
                                + "setting (did you mean sasl.mechanism?)"),
                result.toString());
    }

    @Test
    void shouldAcceptClientPrefixedAndPluginSettings() {
        final CliResult result = show(
                "--bootstrap-servers", "k:9092", "--kafka", "producer.linger.ms=5", "--kafka", "config.providers=file");

        assertEquals(0, result.exitCode(), result.toString());
    }

    @Test
    void shouldRequireBootstrapServers() {
        final KafkaOptions options = new KafkaOptions();

        final ConfigException e = assertThrows(ConfigException.class, () -> options.toConfig(name -> null));

        assertTrue(
                e.getMessage().startsWith("Invalid value (none) for configuration bootstrap.servers"), e.getMessage());
    }

    @Test
    void shouldRejectServerWithoutPort() {
        final CliResult result = show("--bootstrap-servers", "localhost");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(
                result.err().contains("Invalid value localhost for configuration bootstrap.servers"),
                result.toString());
    }

    @Test
    void shouldReportMissingConfigFileAsInputError() {
        final CliResult result =
                show("--config", dir.resolve("absent.properties").toString());

        assertEquals(ExitCodes.INPUT, result.exitCode(), result.toString());
        assertTrue(result.err().contains("absent.properties"), result.toString());
    }
}
