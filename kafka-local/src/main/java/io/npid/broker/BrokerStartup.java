package io.npid.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up sequence of {@link EmbeddedKafkaBroker}: log directory, loopback ports, broker config, format on first
 * use, {@code KafkaRaftServer} start-up, and the wait until {@code Admin.describeCluster} answers.
 */
final class BrokerStartup {

    // the broker's own logger name, as before the start-up moved here
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private BrokerStartup() {}

    /**
     * Formats the directory if needed, starts the broker and waits until it answers; on failure shuts down what
     * started and deletes a temporary directory.
     */
    static EmbeddedKafkaBroker start(
            final Path logDirOrNull,
            final int fixedPort,
            final Duration startupTimeout,
            final Map<String, SecurityProtocol> extraListeners,
            final Map<String, Object> overrides) {
        final long begin = System.nanoTime();
        final boolean temporary = logDirOrNull == null;
        final Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("npid-kafka-") : Files.createDirectories(logDirOrNull);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka log directory " + logDirOrNull, e);
        }
        // controller, client (unless fixed) and extra listeners: every port distinct
        final int[] free = KraftStorage.freeLoopbackPorts(2 + extraListeners.size(), fixedPort);
        int next = 0;
        final int controllerPort = free[next++];
        final int clientPort = fixedPort == 0 ? free[next++] : fixedPort;
        final Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(EmbeddedBrokerConfig.CLIENT_LISTENER, clientPort);
        for (final String name : extraListeners.keySet()) {
            ports.put(name, free[next++]);
        }
        final Map<String, SecurityProtocol> protocols = new LinkedHashMap<>();
        protocols.put(EmbeddedBrokerConfig.CLIENT_LISTENER, SecurityProtocol.PLAINTEXT);
        protocols.putAll(extraListeners);
        final Properties props = EmbeddedBrokerConfig.build(dir, controllerPort, ports, protocols, overrides);

        KafkaRaftServer server = null;
        try {
            final KafkaConfig config = KafkaConfig.fromProps(props, false);
            final String existingId = KraftStorage.clusterIdOrNull(dir);
            final String clusterId = existingId != null ? existingId : KraftStorage.format(config, dir);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            final String bootstrap = "127.0.0.1:" + ports.get(EmbeddedBrokerConfig.CLIENT_LISTENER);
            awaitReady(bootstrap, startupTimeout);
            final long elapsed = System.nanoTime() - begin;
            LOG.debug("Embedded Kafka broker {} ready in {} ms", bootstrap, TimeUnit.NANOSECONDS.toMillis(elapsed));
            return new EmbeddedKafkaBroker(server, dir, temporary, clusterId, ports, elapsed);
        } catch (final RuntimeException e) {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
            if (temporary) {
                KraftStorage.deleteRecursively(dir);
            }
            throw e;
        }
    }

    private static void awaitReady(final String bootstrapServers, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Admin.create(config)) {
            RuntimeException last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(4000))
                            .nodes()
                            .get()
                            .isEmpty()) {
                        return;
                    }
                } catch (final java.util.concurrent.ExecutionException e) {
                    last = new IllegalStateException(e.getCause());
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException(
                    "Embedded Kafka broker at " + bootstrapServers + " did not answer describeCluster within "
                            + timeout.toMillis() + " ms",
                    last);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
        }
    }
}
