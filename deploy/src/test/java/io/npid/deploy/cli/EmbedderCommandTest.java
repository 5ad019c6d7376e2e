package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Configuration errors of {@code npid embedder}, found before any connection is made. */
class EmbedderCommandTest {

    @Test
    void shouldNameTheSettingOfAnInvalidBatchSize() {
        final CliResult result =
                CliResult.run("embedder", "--bootstrap-servers", "127.0.0.1:1", "--max-batch-size", "0");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(
                result.err().startsWith("npid: Invalid value 0 for configuration npid.embedder.max.batch.size"),
                result.toString());
    }

    @Test
    void shouldRejectUnknownEmbedderSetting() {
        final CliResult result = CliResult.run(
                "embedder", "--bootstrap-servers", "127.0.0.1:1", "--set", "npid.embedder.max.batchsize=5");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("npid.embedder.max.batchsize"), result.toString());
    }
}
