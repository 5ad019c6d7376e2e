package io.npid.deploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.npid.deploy.metrics.MetricsOptions;
import io.npid.deploy.metrics.NpidMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The metrics endpoint of every npid process listens on loopback unless --metrics-host says otherwise. */
class LoopbackBindingTest {

    /** A command with the metrics options every long-running npid command mixes in. */
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        MetricsOptions metrics;
    }

    @Test
    void shouldServeMetricsOnLoopbackOnlyByDefault() {
        assumeTrue(ListeningSockets.supported(), "needs Linux /proc");
        final int port = Ports.free();
        try (NpidMetrics metrics = NpidMetrics.start("probe", parse("--metrics-port", "" + port))) {
            final List<ListeningSockets.Socket> mine = ListeningSockets.ofThisProcess().stream()
                    .filter(s -> s.port() == port)
                    .toList();

            assertEquals(1, mine.size(), mine.toString());
            assertTrue(mine.get(0).loopback(), mine.toString());
            assertTrue(metrics.endpoint().orElseThrow().getAddress().isLoopbackAddress());
            assertTrue(Ports.get("http://127.0.0.1:" + port + "/health").startsWith("ok"));
        }
    }

    @Test
    void shouldServeMetricsOnEveryAddressWhenToldTo() {
        assumeTrue(ListeningSockets.supported(), "needs Linux /proc");
        final int port = Ports.free();
        try (NpidMetrics metrics =
                NpidMetrics.start("probe", parse("--metrics-port", "" + port, "--metrics-host", "0.0.0.0"))) {
            final List<ListeningSockets.Socket> mine = ListeningSockets.ofThisProcess().stream()
                    .filter(s -> s.port() == port)
                    .toList();

            assertEquals(1, mine.size(), mine.toString());
            assertFalse(mine.get(0).loopback(), mine.toString());
            assertTrue(metrics.endpoint().orElseThrow().getAddress().isAnyLocalAddress());
        }
    }

    @Test
    void shouldServeNoEndpointWithoutAPort() {
        try (NpidMetrics metrics = NpidMetrics.start("probe", parse())) {
            assertTrue(metrics.endpoint().isEmpty());
        }
    }

    @Test
    void shouldDecodeProcAddresses() {
        assertEquals("127.0.0.1", ListeningSockets.address("0100007F"));
        assertEquals("0.0.0.0", ListeningSockets.address("00000000"));
        assertEquals("::1", ListeningSockets.address("00000000000000000000000001000000"));
        assertEquals("::", ListeningSockets.address("00000000000000000000000000000000"));
        assertEquals("::ffff:127.0.0.1", ListeningSockets.address("0000000000000000FFFF00000100007F"));
        assertTrue(new ListeningSockets.Socket("::ffff:127.0.0.1", 1).loopback());
        assertFalse(new ListeningSockets.Socket("::", 1).loopback());
    }

    private static io.npid.deploy.metrics.MetricsSettings parse(final String... args) {
        final Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.metrics.toSettings();
    }
}
