package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NpidCommandTest {

    @Test
    void shouldPrintUsageAndExitWithUsageCodeWithoutSubcommand() {
        final CliResult result = CliResult.run();

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("Usage: npid"), result.toString());
    }

    @Test
    void shouldPrintVersion() {
        final CliResult result = CliResult.run("--version");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith("npid "), result.toString());
    }

    @Test
    void shouldRejectUnknownOptionInOneLineWithHelpHint() {
        final CliResult result = CliResult.run("--no-such-option");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("npid: Unknown option: '--no-such-option'"), result.toString());
        assertTrue(result.err().contains("Try 'npid --help'"), result.toString());
    }
}
