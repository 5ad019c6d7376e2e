package io.npid.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.network.SocketServerConfigs;
import org.apache.kafka.server.config.ReplicationConfigs;
import org.apache.kafka.server.config.ServerConfigs;
import org.apache.kafka.server.config.ServerLogConfigs;

/**
 * Builds the configuration of the embedded single-node KRaft broker.
 *
 * <p>The KRaft, group-coordinator, transaction-log and log-cleaner keys live in Kafka modules that kafka_2.13
 * only has at run time ({@code kafka-raft}, {@code kafka-group-coordinator}, ...), so they are spelled out here;
 * {@code EmbeddedBrokerConfigTest} checks every key against {@code KafkaConfig.configNames()}.
 */
final class EmbeddedBrokerConfig {

    /** Node id of the only node; it is both broker and controller. */
    static final int NODE_ID = 1;
    /** Listener name of the client (and inter-broker) listener. */
    static final String CLIENT_LISTENER = "PLAINTEXT";
    /** Listener name of the KRaft controller listener. */
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    static final String PROCESS_ROLES = "process.roles";
    static final String NODE_ID_KEY = "node.id";
    static final String QUORUM_VOTERS = "controller.quorum.voters";
    static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    static final String OFFSETS_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    static final String OFFSETS_PARTITIONS = "offsets.topic.num.partitions";
    static final String TXN_REPLICATION_FACTOR = "transaction.state.log.replication.factor";
    static final String TXN_MIN_ISR = "transaction.state.log.min.isr";
    static final String TXN_PARTITIONS = "transaction.state.log.num.partitions";
    static final String SHARE_REPLICATION_FACTOR = "share.coordinator.state.topic.replication.factor";
    static final String SHARE_MIN_ISR = "share.coordinator.state.topic.min.isr";
    static final String INITIAL_REBALANCE_DELAY = "group.initial.rebalance.delay.ms";
    static final String CLEANER_DEDUPE_BUFFER = "log.cleaner.dedupe.buffer.size";
    static final String BROKER_HEARTBEAT_INTERVAL = "broker.heartbeat.interval.ms";

    private EmbeddedBrokerConfig() {}

    /**
     * The broker properties.
     *
     * @param logDir data and metadata log directory
     * @param controllerPort loopback port of the controller listener
     * @param listeners client-facing listeners (name to port), the client listener first
     * @param protocols security protocol of each client-facing listener
     * @param overrides settings applied last, e.g. SSL or SASL settings of an extra listener
     * @return the properties for {@code KafkaConfig}
     */
    static Properties build(
            final Path logDir,
            final int controllerPort,
            final Map<String, Integer> listeners,
            final Map<String, SecurityProtocol> protocols,
            final Map<String, ?> overrides) {
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put(PROCESS_ROLES, "broker,controller");
        config.put(NODE_ID_KEY, NODE_ID);
        config.put(QUORUM_VOTERS, NODE_ID + "@127.0.0.1:" + controllerPort);
        config.put(CONTROLLER_LISTENER_NAMES, CONTROLLER_LISTENER);
        config.put(ServerLogConfigs.LOG_DIRS_CONFIG, logDir.toAbsolutePath().toString());

        final StringJoiner bind = new StringJoiner(",");
        final StringJoiner advertised = new StringJoiner(",");
        final StringJoiner protocolMap = new StringJoiner(",");
        listeners.forEach((name, port) -> {
            bind.add(name + "://127.0.0.1:" + port);
            advertised.add(name + "://127.0.0.1:" + port);
            protocolMap.add(name + ":" + protocols.get(name).name);
        });
        bind.add(CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        protocolMap.add(CONTROLLER_LISTENER + ":" + SecurityProtocol.PLAINTEXT.name);
        config.put(SocketServerConfigs.LISTENERS_CONFIG, bind.toString());
        config.put(SocketServerConfigs.ADVERTISED_LISTENERS_CONFIG, advertised.toString());
        config.put(SocketServerConfigs.LISTENER_SECURITY_PROTOCOL_MAP_CONFIG, protocolMap.toString());
        config.put(ReplicationConfigs.INTER_BROKER_LISTENER_NAME_CONFIG, CLIENT_LISTENER);

        // One node: every internal topic has one replica, or transactions (exactly_once_v2) and groups never start.
        config.put(ReplicationConfigs.DEFAULT_REPLICATION_FACTOR_CONFIG, 1);
        config.put(OFFSETS_REPLICATION_FACTOR, (short) 1);
        config.put(TXN_REPLICATION_FACTOR, (short) 1);
        config.put(TXN_MIN_ISR, 1);
        config.put(SHARE_REPLICATION_FACTOR, (short) 1);
        config.put(SHARE_MIN_ISR, 1);
        // Fewer coordinator partitions than the default 50: a first group or transaction is ready sooner.
        config.put(OFFSETS_PARTITIONS, 5);
        config.put(TXN_PARTITIONS, 5);
        config.put(INITIAL_REBALANCE_DELAY, 0);
        config.put(ServerLogConfigs.NUM_PARTITIONS_CONFIG, 1);
        // Topics are created on purpose (TopicAdmin), so a typo in a topic name fails instead of creating one.
        config.put(ServerLogConfigs.AUTO_CREATE_TOPICS_ENABLE_CONFIG, false);

        // Sized for a laptop or a 2-core CI box sharing the JVM with the trainer and the indexer.
        config.put(SocketServerConfigs.NUM_NETWORK_THREADS_CONFIG, 2);
        config.put(ServerConfigs.NUM_IO_THREADS_CONFIG, 4);
        config.put(ServerConfigs.BACKGROUND_THREADS_CONFIG, 4);
        config.put(ServerLogConfigs.NUM_RECOVERY_THREADS_PER_DATA_DIR_CONFIG, 1);
        config.put(CLEANER_DEDUPE_BUFFER, 16L * 1024 * 1024);
        // The broker is unfenced on a heartbeat: a shorter interval makes it ready sooner after start.
        config.put(BROKER_HEARTBEAT_INTERVAL, 500);

        config.putAll(overrides);
        final Properties properties = new Properties();
        config.forEach((key, value) -> properties.put(key, String.valueOf(value)));
        return properties;
    }
}
