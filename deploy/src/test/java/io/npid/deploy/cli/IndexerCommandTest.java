package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Configuration errors of {@code npid indexer}, found before any connection is made. */
class IndexerCommandTest {

    @Test
    void shouldNameTheSettingOfAnInvalidK() {
        final CliResult result =
                CliResult.run("indexer", "--bootstrap-servers", "127.0.0.1:1", "--set", "npid.knn.k=0");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("npid: Invalid value 0 for configuration npid.knn.k"), result.toString());
    }

    @Test
    void shouldRejectUnknownProcessingGuarantee() {
        final CliResult result = CliResult.run(
                "indexer",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--set",
                "npid.indexer.processing.guarantee=exactly_twice");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("npid.indexer.processing.guarantee"), result.toString());
    }
}
