package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.client.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that talks to Kafka stops in seconds, exit 4, with words that say what is at the address: nothing
 * (a closed port), something that accepts and drops the connection, something that accepts and never answers, and
 * something that answers in another protocol. No broker runs here; the stand-ins are plain sockets.
 */
class ConnectionErrorsTest {
    /**
     * Far above the probe's few seconds and far below the 38-70 s the Kafka clients took on their own (issue 17);
     * not a benchmark, a guard against falling back into the clients' long waits.
     */
    private static final long MOST_SECONDS = 30;

    @TempDir
    Path dir;

    private final List<AutoCloseable> stubs = new ArrayList<>();
    private Path image;

    @BeforeEach
    void oneImage() {
        image = TestImages.png(dir.resolve("one.png"), 8, 8, BufferedImage.TYPE_BYTE_GRAY, 0x808080, 1);
    }

    @AfterEach
    void stopStubs() throws Exception {
        for (AutoCloseable stub : stubs) {
            stub.close();
        }
    }

    @Test
    void shouldSayConnectionRefusedForEveryCommandWhenNothingListens() throws IOException {
        final String address = "127.0.0.1:" + closedPort();

        final Map<String, CliResult> results = runEveryCommand(address);

        results.forEach((command, result) -> {
            assertEquals(ExitCodes.UNAVAILABLE, result.exitCode(), command + ": " + result);
            assertTrue(
                    result.err()
                            .contains("npid: cannot reach Kafka at " + address + " (connection refused); "
                                    + "check --bootstrap-servers"),
                    command + ": " + result);
        });
    }

    @Test
    void shouldSayItClosedTheConnectionWhenAPortAcceptsAndDrops() throws IOException {
        final String address = stub(socket -> {});

        final Map<String, CliResult> results = runEveryCommand(address);

        results.forEach((command, result) -> {
            assertEquals(ExitCodes.UNAVAILABLE, result.exitCode(), command + ": " + result);
            assertTrue(
                    result.err()
                            .contains("npid: nothing answers as Kafka at " + address + ": it accepts "
                                    + "connections but closed this one without answering a Kafka request"),
                    command + ": " + result);
        });
    }

    @Test
    void shouldSayItNeverAnsweredWhenAPortAcceptsAndStaysSilent() throws IOException {
        final String address = stub(socket -> {}, true);

        final CliResult result = timed(
                "query",
                CliResult.run("query", image.toString(), "--bootstrap-servers", address, "--connect-timeout", "1.5"));

        assertEquals(ExitCodes.UNAVAILABLE, result.exitCode(), result.toString());
        assertTrue(
                result.err()
                        .contains("npid: nothing answers as Kafka at " + address + ": it accepts connections "
                                + "but sent nothing back to a Kafka request within 1.5 s"),
                result.toString());
    }

    @Test
    void shouldNameTheProtocolWhenAPortAnswersInAnotherOne() throws IOException {
        final String http =
                stub(socket -> reply(socket, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        final String tls = stub(socket -> reply(socket, new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32, 0}));

        final CliResult toHttp = CliResult.run("topics", "--bootstrap-servers", http);
        final CliResult toTls = CliResult.run("topics", "--bootstrap-servers", tls);

        assertEquals(ExitCodes.UNAVAILABLE, toHttp.exitCode(), toHttp.toString());
        assertTrue(
                toHttp.err().contains("it answered, but not as Kafka: 'HTTP/1.1...' (an HTTP server)"),
                toHttp.toString());
        assertEquals(ExitCodes.UNAVAILABLE, toTls.exitCode(), toTls.toString());
        assertTrue(
                toTls.err().contains("a TLS record (a TLS listener: set security.protocol=SSL or SASL_SSL)"),
                toTls.toString());
    }

    @Test
    void shouldListEveryServerWhenNoneAnswers() throws IOException {
        final String closed = "127.0.0.1:" + closedPort();
        final String dropping = stub(socket -> {});

        final CliResult result = CliResult.run("topics", "--bootstrap-servers", closed + "," + dropping);

        assertEquals(ExitCodes.UNAVAILABLE, result.exitCode(), result.toString());
        assertTrue(
                result.err()
                        .startsWith("npid: cannot reach Kafka at any of the bootstrap servers: " + closed
                                + " (connection refused), " + dropping
                                + " (it accepts connections but closed this one"),
                result.toString());
    }

    @Test
    void shouldRefuseANonPositiveConnectTimeout() {
        final CliResult result =
                CliResult.run("topics", "--bootstrap-servers", "127.0.0.1:9", "--connect-timeout", "0");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("--connect-timeout"), result.toString());
    }

    /** Runs each command that talks to Kafka against the address. */
    private Map<String, CliResult> runEveryCommand(final String address) {
        final Map<String, CliResult> results = new LinkedHashMap<>();
        final String servers = "--bootstrap-servers=" + address;
        results.put("topics", timed("topics", CliResult.run("topics", servers)));
        results.put("ingest", timed("ingest", CliResult.run("ingest", image.toString(), servers)));
        results.put("query", timed("query", CliResult.run("query", image.toString(), servers)));
        results.put("tail", timed("tail", CliResult.run("tail", "results", servers)));
        results.put(
                "trainer",
                timed(
                        "trainer",
                        CliResult.run(
                                "trainer", "--state-dir", dir.resolve("trainer").toString(), servers)));
        results.put("embedder", timed("embedder", CliResult.run("embedder", servers)));
        results.put(
                "indexer",
                timed(
                        "indexer",
                        CliResult.run(
                                "indexer", "--state-dir", dir.resolve("indexer").toString(), servers)));
        return results;
    }

    private final long[] startNanos = {System.nanoTime()};

    /** Prints how long a command took and checks it stayed within {@link #MOST_SECONDS}. */
    private CliResult timed(final String command, final CliResult result) {
        final double seconds = (System.nanoTime() - startNanos[0]) / 1e9;
        startNanos[0] = System.nanoTime();
        System.out.printf(
                "ConnectionErrorsTest: npid %s gave up after %.1f s: %s%n",
                command,
                seconds,
                result.err().strip().lines().reduce((a, b) -> b).orElse(""));
        assertTrue(seconds < MOST_SECONDS, command + " took " + seconds + " s: " + result);
        return result;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A loopback server that hands each accepted connection to {@code onAccept}, then closes it. */
    private String stub(final Consumer<Socket> onAccept) throws IOException {
        return stub(onAccept, false);
    }

    /** A loopback server that hands each accepted connection to {@code onAccept}, then closes it or keeps it. */
    private String stub(final Consumer<Socket> onAccept, final boolean keepOpen) throws IOException {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new ArrayList<>();
        final Thread thread = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            final Socket socket = server.accept();
                            synchronized (accepted) {
                                accepted.add(socket);
                            }
                            onAccept.accept(socket);
                            if (!keepOpen) {
                                socket.close();
                            }
                        } catch (IOException e) {
                            return; // closed
                        }
                    }
                },
                "stub-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
        stubs.add(() -> {
            server.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        });
        startNanos[0] = System.nanoTime();
        return "127.0.0.1:" + server.getLocalPort();
    }

    private static void reply(final Socket socket, final byte[] bytes) {
        try {
            socket.getInputStream().read(new byte[64]);
            final OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the client went away first
        }
    }
}
