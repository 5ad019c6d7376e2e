package io.npid.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded broker's disk and network odds and ends: formatting the KRaft log directory, its cluster id, ports. */
final class KraftStorage {

    private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);

    private KraftStorage() {}

    /**
     * Formats a directory for a new single-node cluster, as {@code kafka-storage.sh format} does.
     *
     * @param config the broker config (metadata log dir, controller listener)
     * @param dir the data log directory
     * @return the new cluster id
     * @throws IllegalStateException if formatting fails
     */
    static String format(final KafkaConfig config, final Path dir) {
        final String clusterId = Uuid.randomUuid().toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                    .setNodeId(EmbeddedBrokerConfig.NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(dir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName(EmbeddedBrokerConfig.CONTROLLER_LISTENER)
                    .run();
        } catch (final Exception e) {
            throw new IllegalStateException("Cannot format the Kafka log directory " + dir + ": " + e.getMessage(), e);
        }
        return clusterId;
    }

    /**
     * The cluster id of an already formatted directory.
     *
     * @param dir the data log directory
     * @return the id from its {@code meta.properties}, or null if it is not formatted yet
     * @throws IllegalStateException if {@code meta.properties} has no cluster id
     */
    static String clusterIdOrNull(final Path dir) {
        final Path meta = dir.resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            properties.load(in);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot read " + meta, e);
        }
        final String id = properties.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(meta + " has no cluster.id; delete the directory to start afresh");
        }
        return id;
    }

    /**
     * Distinct loopback ports that were free a moment ago. The sockets stay open until all are chosen, so the
     * system cannot hand out one port twice (two listeners on one port stop the broker).
     *
     * @param count how many ports
     * @param taken a port already in use by the caller (0 for none), never returned
     * @return the ports, all different
     */
    static int[] freeLoopbackPorts(final int count, final int taken) {
        final List<ServerSocket> sockets = new ArrayList<>();
        try {
            final int[] ports = new int[count];
            int found = 0;
            while (found < count) {
                final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                if (socket.getLocalPort() != taken) {
                    ports[found++] = socket.getLocalPort();
                }
            }
            return ports;
        } catch (final IOException e) {
            throw new UncheckedIOException("No free loopback port for the embedded Kafka broker", e);
        } finally {
            for (final ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (final IOException e) {
                    LOG.debug("Closing a probe socket: {}", e.toString());
                }
            }
        }
    }

    /**
     * Deletes a directory tree, logging (not throwing) what cannot be deleted.
     *
     * @param dir the directory
     */
    static void deleteRecursively(final Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            LOG.warn("Could not delete the temporary Kafka directory {}: {}", dir, e.toString());
        }
    }
}
