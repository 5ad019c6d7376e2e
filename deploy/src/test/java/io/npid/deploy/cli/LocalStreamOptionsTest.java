package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A wrong --stream-labels stops npid local at start, with exit 2 and one line saying why, before anything runs. */
class LocalStreamOptionsTest {

    @Test
    void shouldRefuseALabelFractionOutsideZeroToOne() {
        final CliResult result =
                CliResult.run("local", "--synthetic", "--stream-rate", "100", "--stream-labels", "1.5");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("--stream-labels") && result.err().contains("from 0 to 1"), result.toString());
        assertEquals(1, result.err().strip().lines().count(), "one line, no stack trace: " + result);
    }

    @Test
    void shouldRefuseALabelFractionWithoutAStream() {
        final CliResult result = CliResult.run("local", "--synthetic", "--stream-labels", "0.5");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(
                result.err().contains("--stream-labels") && result.err().contains("--stream-rate"), result.toString());
    }
}
