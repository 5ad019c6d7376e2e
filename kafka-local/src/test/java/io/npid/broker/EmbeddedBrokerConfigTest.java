package io.npid.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerConfigTest {

    private static Properties build(final Map<String, ?> overrides) {
        final Map<String, Integer> listeners = new LinkedHashMap<>();
        listeners.put("PLAINTEXT", 19092);
        listeners.put("SASL_SSL", 19093);
        return EmbeddedBrokerConfig.build(
                Path.of("/tmp/kafka-test"),
                19094,
                listeners,
                Map.of("PLAINTEXT", SecurityProtocol.PLAINTEXT, "SASL_SSL", SecurityProtocol.SASL_SSL),
                overrides);
    }

    @Test
    void shouldOnlySetKeysTheBrokerKnows() {
        final Properties properties = build(Map.of());
        for (final String key : properties.stringPropertyNames()) {
            assertTrue(KafkaConfig.configNames().contains(key), "not a broker config: " + key);
        }
    }

    @Test
    void shouldBindEveryListenerToLoopbackAndUseOneReplica() {
        final Properties properties = build(Map.of());
        assertEquals(
                "PLAINTEXT://127.0.0.1:19092,SASL_SSL://127.0.0.1:19093,CONTROLLER://127.0.0.1:19094",
                properties.getProperty("listeners"));
        assertEquals(
                "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
                properties.getProperty("listener.security.protocol.map"));
        assertEquals("1@127.0.0.1:19094", properties.getProperty("controller.quorum.voters"));
        assertEquals("1", properties.getProperty("transaction.state.log.replication.factor"));
        assertEquals("1", properties.getProperty("transaction.state.log.min.isr"));
        assertEquals("0", properties.getProperty("group.initial.rebalance.delay.ms"));
        // KafkaConfig accepts the whole set (it validates listeners, roles and the quorum).
        final KafkaConfig config = KafkaConfig.fromProps(properties, false);
        assertEquals(1, config.nodeId());
    }

    @Test
    void shouldApplyOverridesLast() {
        assertEquals("2", build(Map.of("num.io.threads", 2)).getProperty("num.io.threads"));
    }

    @Test
    void shouldRefuseReservedOrBadListenerNames() {
        assertThrows(
                IllegalArgumentException.class,
                () -> EmbeddedKafkaBroker.builder().listener("CONTROLLER", SecurityProtocol.PLAINTEXT));
        assertThrows(
                IllegalArgumentException.class,
                () -> EmbeddedKafkaBroker.builder().listener("sasl ssl", SecurityProtocol.SASL_SSL));
    }
}
