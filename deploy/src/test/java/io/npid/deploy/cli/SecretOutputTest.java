package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PEM private key passed as {@code ssl.keystore.key} (issue 15: the old name pattern missed it) appears in no
 * output of the commands that print their configuration: neither their stdout and stderr nor the logs of this JVM.
 */
class SecretOutputTest {
    private static final String KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secretbody";
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\n" + KEY_BODY + "\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path dir;

    @Test
    void shouldPrintThePemKeyOfNoProcessCommand() throws IOException {
        final Path key = dir.resolve("client.key");
        Files.writeString(key, PEM);
        final Path file = dir.resolve("client.properties");
        // a PEM value in the file under a key that is not secret by name is hidden by its value
        Files.writeString(file, "ssl.truststore.certificates=" + PEM.replace("\n", "\\n") + "\n");
        for (String command : List.of("trainer", "embedder", "indexer")) {
            final List<String> args = new ArrayList<>(List.of(
                    command,
                    "--bootstrap-servers",
                    "127.0.0.1:1",
                    "--connect-timeout",
                    "0.2",
                    "--config",
                    file.toString(),
                    "--kafka-secret",
                    "ssl.keystore.key=file:" + key,
                    "--kafka",
                    "ssl.keystore.type=PEM"));
            if (command.equals("trainer")) {
                args.addAll(List.of("--state-dir", dir.resolve("state").toString()));
            }
            final ByteArrayOutputStream logs = new ByteArrayOutputStream();
            final PrintStream out = System.out;
            final PrintStream err = System.err;
            final CliResult result;
            try (PrintStream captured = new PrintStream(logs, true, StandardCharsets.UTF_8)) {
                System.setOut(captured);
                System.setErr(captured);
                result = CliResult.run(args.toArray(String[]::new));
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            final String all = result + logs.toString(StandardCharsets.UTF_8);
            // it got as far as printing its configuration, then found no broker
            assertTrue(result.err().contains(command + ": "), all);
            // key=value (trainer) or the effective settings' JSON (embedder, indexer)
            assertTrue(
                    result.err().contains("ssl.keystore.key=[hidden]")
                            || result.err().contains("\"ssl.keystore.key\":\"[hidden]\""),
                    all);
            assertNotEquals(0, result.exitCode(), all);
            assertFalse(all.contains(KEY_BODY), command + " printed the private key:\n" + all);
        }
    }
}
