package io.npid.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {
    @Test
    void shouldPassClientSettingsThroughToTheClientsThatKnowThem() {
        final KafkaClientSettings settings = KafkaClientSettings.from(Map.of(
                "bootstrap.servers", "b:9092",
                "security.protocol", "SASL_SSL",
                "max.poll.records", "7",
                "linger.ms", "3",
                "npid.trainer.epochs", "2"));
        final Map<String, Object> consumer = settings.consumer(Map.of(), Map.of());
        final Map<String, Object> producer = settings.producer(Map.of(), Map.of());
        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals("7", consumer.get("max.poll.records"));
        assertFalse(producer.containsKey("max.poll.records"), "a consumer-only key must not reach producers");
        assertEquals("3", producer.get("linger.ms"));
        assertFalse(consumer.containsKey("npid.trainer.epochs"));
    }

    @Test
    void shouldLetPrefixedSettingsWinAndOwnedSettingsWinOverBoth() {
        final KafkaClientSettings settings = KafkaClientSettings.from(Map.of(
                "bootstrap.servers", "b:9092",
                "client.id", "common",
                "consumer.client.id", "mine",
                "consumer.enable.auto.commit", "true",
                "producer.acks", "1"));
        final Map<String, Object> consumer = settings.consumer(
                Map.of("fetch.min.bytes", 1, "client.id", "dflt"), Map.of("enable.auto.commit", false));
        assertEquals("mine", consumer.get("client.id"));
        assertEquals(false, consumer.get("enable.auto.commit"), "the process owns offset handling");
        assertEquals(1, consumer.get("fetch.min.bytes"));
        assertEquals("1", settings.producer(Map.of("acks", "all"), Map.of()).get("acks"));
        assertEquals("common", settings.producer(Map.of(), Map.of()).get("client.id"));
    }

    @Test
    void shouldFailFastNamingBootstrapServersWhenMissing() {
        final ConfigException e =
                assertThrows(ConfigException.class, () -> KafkaClientSettings.from(Map.of("security.protocol", "SSL")));
        assertTrue(e.getMessage().contains("bootstrap.servers"), e.getMessage());
    }

    @Test
    void shouldMaskSecretsInItsDescription() {
        final KafkaClientSettings settings = KafkaClientSettings.from(Map.of(
                "bootstrap.servers", "b:9092",
                "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required "
                                + "username=\"u\" password=\"hunter2\";",
                "ssl.truststore.password", "hunter2"));
        assertFalse(settings.toString().contains("hunter2"), settings.toString());
        assertTrue(settings.toString().contains("b:9092"));
    }
}
