package io.npid.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM, bound to
 * 127.0.0.1 only.
 *
 * <p>{@link #start} formats the log directory on first use (a new cluster id), starts
 * {@code kafka.server.KafkaRaftServer} and returns once {@code Admin.describeCluster} answers. With a persistent
 * log directory a later broker on the same directory keeps the cluster id and every topic and record. Every
 * internal topic has one replica, so consumer groups and transactions ({@code exactly_once_v2}) work.
 * {@link #close} shuts down cleanly and deletes a temporary directory. Use one broker per JVM where possible
 * (Kafka's metrics registry is JVM-wide).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean temporary;
    private final String clusterId;
    private final Map<String, Integer> listenerPorts;
    private final long startupNanos;
    private long shutdownNanos = -1;
    private boolean closed;

    EmbeddedKafkaBroker(
            final KafkaRaftServer server,
            final Path logDir,
            final boolean temporary,
            final String clusterId,
            final Map<String, Integer> listenerPorts,
            final long startupNanos) {
        this.server = server;
        this.logDir = logDir;
        this.temporary = temporary;
        this.clusterId = clusterId;
        this.listenerPorts = Map.copyOf(listenerPorts);
        this.startupNanos = startupNanos;
    }

    /**
     * Starts a broker with default settings.
     *
     * @param logDirOrNull a directory that keeps the data across restarts, or null for a temporary one
     * @return the running broker
     * @throws IllegalStateException if the broker does not become ready within the startup timeout
     */
    public static EmbeddedKafkaBroker start(final Path logDirOrNull) {
        return builder().logDir(logDirOrNull).start();
    }

    /**
     * A builder for a broker with extra listeners or broker-config overrides.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The bootstrap servers of the plaintext client listener, e.g. {@code 127.0.0.1:40123}.
     *
     * @return host:port
     */
    public String bootstrapServers() {
        return bootstrapServers(EmbeddedBrokerConfig.CLIENT_LISTENER);
    }

    /**
     * The bootstrap servers of a named listener, e.g. an extra {@code SASL_SSL} listener.
     *
     * @param listenerName the listener's name
     * @return host:port
     * @throws IllegalArgumentException if there is no such listener
     */
    public String bootstrapServers(final String listenerName) {
        final Integer port = listenerPorts.get(listenerName);
        if (port == null) {
            throw new IllegalArgumentException(
                    "No listener " + listenerName + "; listeners: " + listenerPorts.keySet());
        }
        return "127.0.0.1:" + port;
    }

    /**
     * The KRaft cluster id, stable across restarts on a persistent log directory.
     *
     * @return the cluster id
     */
    public String clusterId() {
        return clusterId;
    }

    /**
     * The log directory.
     *
     * @return the directory (deleted on close if it was temporary)
     */
    public Path logDir() {
        return logDir;
    }

    /**
     * Time from the start call until the cluster answered.
     *
     * @return the startup time
     */
    public Duration startupTime() {
        return Duration.ofNanos(startupNanos);
    }

    /**
     * Time the last {@link #close} took to shut the broker down, or negative if it is still running.
     *
     * @return the shutdown time
     */
    public Duration shutdownTime() {
        return Duration.ofNanos(shutdownNanos);
    }

    /**
     * An Admin client for this broker; the caller closes it.
     *
     * @return a new admin client
     */
    public Admin createAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Shuts the broker down and waits for it; deletes the log directory if it was temporary. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        final long begin = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            shutdownNanos = System.nanoTime() - begin;
            if (temporary) {
                KraftStorage.deleteRecursively(logDir);
            }
        }
        LOG.debug("Embedded Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(shutdownNanos));
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", cluster " + clusterId + ", " + logDir + "]";
    }

    /** Builds a broker; every setting is optional. */
    public static final class Builder {
        private Path logDir;
        private int port;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private final Map<String, SecurityProtocol> extraListeners = new LinkedHashMap<>();
        private final Map<String, Object> overrides = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Keeps the data in this directory across restarts (formatted on first use).
         *
         * @param dir the directory, or null for a temporary one deleted on close
         * @return this builder
         */
        public Builder logDir(final Path dir) {
            this.logDir = dir;
            return this;
        }

        /**
         * Binds the plaintext client listener to a fixed loopback port.
         *
         * @param clientPort the port, or 0 for a free one (the default)
         * @return this builder
         */
        public Builder port(final int clientPort) {
            if (clientPort < 0 || clientPort > 65535) {
                throw new IllegalArgumentException("Invalid Kafka client port " + clientPort);
            }
            this.port = clientPort;
            return this;
        }

        /**
         * Adds a client listener on a free loopback port, e.g. {@code ("SASL_SSL", SecurityProtocol.SASL_SSL)};
         * its SSL/SASL settings go in {@link #brokerConfig} as {@code listener.name.sasl_ssl.*} keys.
         *
         * @param name listener name, upper case
         * @param protocol its security protocol
         * @return this builder
         */
        public Builder listener(final String name, final SecurityProtocol protocol) {
            Objects.requireNonNull(protocol, "protocol");
            if (name == null
                    || !name.matches("[A-Z][A-Z0-9_]*")
                    || name.equals(EmbeddedBrokerConfig.CLIENT_LISTENER)
                    || name.equals(EmbeddedBrokerConfig.CONTROLLER_LISTENER)) {
                throw new IllegalArgumentException("Invalid extra listener name " + name
                        + ": use upper-case letters, digits and '_', not PLAINTEXT or CONTROLLER");
            }
            extraListeners.put(name, protocol);
            return this;
        }

        /**
         * Sets a broker config, applied after (and over) the embedded defaults.
         *
         * @param key broker config key
         * @param value its value
         * @return this builder
         */
        public Builder brokerConfig(final String key, final Object value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets broker configs, applied after (and over) the embedded defaults.
         *
         * @param configs broker configs
         * @return this builder
         */
        public Builder brokerConfigs(final Map<String, ?> configs) {
            configs.forEach(this::brokerConfig);
            return this;
        }

        /**
         * How long {@link #start()} waits for the broker to answer (default 60 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder startupTimeout(final Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Formats the directory if needed, starts the broker and waits until it answers.
         *
         * @return the running broker
         * @throws IllegalStateException if it does not become ready within the startup timeout
         */
        public EmbeddedKafkaBroker start() {
            return BrokerStartup.start(logDir, port, startupTimeout, extraListeners, overrides);
        }
    }
}
