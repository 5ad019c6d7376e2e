package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.NoSuchFileException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureTest {

    @Test
    void shouldMapConfigExceptionToUsageWithKafkaMessage() {
        final Failure f = Failure.of(new ConfigException("npid.lr", "-1", "must be positive"));

        assertEquals(ExitCodes.USAGE, f.exitCode());
        assertEquals("Invalid value -1 for configuration npid.lr: must be positive", f.message());
    }

    @Test
    void shouldFindAuthenticationFailureInsideWrappers() {
        final Failure f = Failure.of(new ExecutionException(new KafkaException(
                "wrapped",
                new SaslAuthenticationException("Authentication failed during authentication due to invalid "
                        + "credentials with SASL mechanism SCRAM-SHA-512"))));

        assertEquals(ExitCodes.NO_PERMISSION, f.exitCode());
        assertTrue(f.message().startsWith("Kafka refused the credentials: Authentication failed"), f.message());
    }

    @Test
    void shouldMapTimeoutToUnavailable() {
        final Failure f = Failure.of(new TimeoutException("Timed out waiting for a node assignment."));

        assertEquals(ExitCodes.UNAVAILABLE, f.exitCode());
        assertTrue(f.message().contains("--bootstrap-servers"), f.message());
    }

    @Test
    void shouldNameMissingFile() {
        final Failure f = Failure.of(new java.io.UncheckedIOException(new NoSuchFileException("/data/x.idx")));

        assertEquals(ExitCodes.INPUT, f.exitCode());
        assertEquals("No such file or directory: /data/x.idx", f.message());
    }

    @Test
    void shouldCallUnknownFailureUnexpectedWithOneLine() {
        final Failure f = Failure.of(new RuntimeException(new IllegalStateException("bad\nsecond line")));

        assertEquals(ExitCodes.SOFTWARE, f.exitCode());
        assertTrue(f.unexpected());
        assertEquals("IllegalStateException: bad", f.message());
        assertFalse(f.message().contains("\n"));
    }
}
