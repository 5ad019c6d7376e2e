package io.npid.deploy.cli;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Looks at one {@code HOST:PORT} the way a Kafka client would, in a few seconds at most: resolves it, opens a TCP
 * connection and, for a listener without TLS, sends Kafka's smallest request (ApiVersions v0) and reads the first
 * bytes of the answer.
 *
 * <p>The Kafka clients themselves retry an unreachable server until their own timeouts (30 to 60 s) and then report
 * a timeout or a missing topic, whatever the cause; this probe tells the causes apart so that a command can say
 * which: nothing listening, an unknown host, something that accepts and closes, something that never answers,
 * something that answers in another protocol (HTTP, TLS).
 */
final class ListenerProbe {
    /** Kafka's ApiVersions request key. */
    private static final short API_VERSIONS = 18;

    private static final int CORRELATION_ID = 0x6e706964; // "npid"
    /** A Kafka response larger than this to ApiVersions v0 is not one. */
    private static final int MAX_PLAUSIBLE_RESPONSE = 1 << 20;

    /** What was found at an address. */
    enum Outcome {
        /** A Kafka broker answered ApiVersions. */
        KAFKA(true),
        /** A TCP connection opened; the protocol (TLS) was not looked at. */
        OPEN(true),
        /** The name does not resolve. */
        UNKNOWN_HOST(false),
        /** Nothing listens: the connection was refused. */
        REFUSED(false),
        /** No answer to the connection attempt (a firewall that drops, or a host that is down). */
        NO_ANSWER(false),
        /** Some other network error (no route to host, ...). */
        UNREACHABLE(false),
        /** It accepted the connection and closed it without answering. */
        CLOSED(false),
        /** It accepted the connection and sent nothing back in time. */
        SILENT(false),
        /** It answered, but not as Kafka. */
        NOT_KAFKA(false);

        private final boolean usable;

        Outcome(final boolean usable) {
            this.usable = usable;
        }

        /** @return whether a Kafka client may get further at this address */
        boolean usable() {
            return usable;
        }
    }

    /**
     * What was found at one address.
     *
     * @param address the {@code HOST:PORT} looked at
     * @param outcome what was found
     * @param detail the words for a user, e.g. {@code connection refused}
     */
    record Finding(String address, Outcome outcome, String detail) {}

    private ListenerProbe() {}

    /**
     * Looks at one address.
     *
     * @param address {@code HOST:PORT}
     * @param speaksKafkaInClear whether the client's security protocol is PLAINTEXT or SASL_PLAINTEXT, so the probe
     *     may send a Kafka request without TLS
     * @param wait the longest wait for each of connecting and answering
     * @return what was found
     */
    static Finding probe(final String address, final boolean speaksKafkaInClear, final Duration wait) {
        final int colon = address.lastIndexOf(':');
        final String host = address.substring(0, colon).replace("[", "").replace("]", "");
        final int port = Integer.parseInt(address.substring(colon + 1));
        final InetAddress ip;
        try {
            ip = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return new Finding(address, Outcome.UNKNOWN_HOST, "unknown host " + host);
        }
        final int waitMs = (int) Math.max(1, wait.toMillis());
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(ip, port), waitMs);
            } catch (ConnectException e) {
                return new Finding(address, Outcome.REFUSED, "connection refused");
            } catch (SocketTimeoutException e) {
                return new Finding(
                        address,
                        Outcome.NO_ANSWER,
                        "no answer to the connection within " + seconds(wait) + " (a firewall, or the host is down)");
            } catch (NoRouteToHostException e) {
                return new Finding(address, Outcome.UNREACHABLE, "no route to host");
            }
            if (!speaksKafkaInClear) {
                return new Finding(address, Outcome.OPEN, "accepts connections");
            }
            socket.setSoTimeout(waitMs);
            return askApiVersions(address, socket, wait);
        } catch (IOException e) {
            return new Finding(
                    address,
                    Outcome.UNREACHABLE,
                    e.getMessage() == null
                            ? e.getClass().getSimpleName()
                            : e.getMessage().toLowerCase(Locale.ROOT));
        }
    }

    private static Finding askApiVersions(final String address, final Socket socket, final Duration wait)
            throws IOException {
        final byte[] clientId = "npid-probe".getBytes(StandardCharsets.US_ASCII);
        // request header v1 (api key, version, correlation id, client id) and ApiVersions v0's empty body
        final ByteBuffer request = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + clientId.length);
        request.putInt(request.capacity() - 4)
                .putShort(API_VERSIONS)
                .putShort((short) 0)
                .putInt(CORRELATION_ID)
                .putShort((short) clientId.length)
                .put(clientId);
        final OutputStream out = socket.getOutputStream();
        try {
            out.write(request.array());
            out.flush();
        } catch (IOException e) {
            return closed(address);
        }
        final byte[] head = new byte[8];
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        try {
            in.readFully(head);
        } catch (EOFException e) {
            return closed(address);
        } catch (SocketTimeoutException e) {
            return new Finding(
                    address,
                    Outcome.SILENT,
                    "it accepts connections but sent nothing back to a Kafka " + "request within " + seconds(wait)
                            + " (another service on this port?)");
        } catch (IOException e) {
            return closed(address); // reset by the peer
        }
        final ByteBuffer answer = ByteBuffer.wrap(head);
        final int size = answer.getInt();
        final int correlation = answer.getInt();
        if (size >= 4 && size <= MAX_PLAUSIBLE_RESPONSE && correlation == CORRELATION_ID) {
            return new Finding(address, Outcome.KAFKA, "a Kafka broker");
        }
        return new Finding(address, Outcome.NOT_KAFKA, "it answered, but not as Kafka: " + describe(head));
    }

    private static Finding closed(final String address) {
        return new Finding(
                address,
                Outcome.CLOSED,
                "it accepts connections but closed this one without answering a "
                        + "Kafka request (another service on this port, or a listener that expects TLS: check security.protocol)");
    }

    /** Names the protocol the first bytes of an answer look like. */
    private static String describe(final byte[] head) {
        if ((head[0] == 0x15 || head[0] == 0x16) && head[1] == 0x03) {
            return "a TLS record (a TLS listener: set security.protocol=SSL or SASL_SSL)";
        }
        final String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("HTTP/")) {
            return "'" + text.strip() + "...' (an HTTP server)";
        }
        final StringBuilder hex = new StringBuilder("bytes");
        for (byte b : head) {
            hex.append(String.format(Locale.ROOT, " %02x", b));
        }
        return hex + " (another protocol)";
    }

    private static String seconds(final Duration wait) {
        return wait.toMillis() % 1000 == 0
                ? wait.toSeconds() + " s"
                : String.format(Locale.ROOT, "%.1f s", wait.toMillis() / 1000.0);
    }
}
