package io.npid.schemas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    private static final String PEM =
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n" + "-----END PRIVATE KEY-----";

    /** Every key of the producer, consumer and admin client, with its declared type. */
    private static Map<String, ConfigDef.Type> everyClientKey() {
        final Map<String, ConfigDef.Type> keys = new TreeMap<>();
        for (ConfigDef def :
                List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())) {
            def.configKeys().forEach((name, key) -> keys.put(name, key.type));
        }
        return keys;
    }

    @Test
    void shouldHideEveryPasswordKeyOfTheKafkaClientsWithAndWithoutClientPrefix() {
        final Map<String, ConfigDef.Type> keys = everyClientKey();
        assertTrue(keys.size() > 100, "the clients declare " + keys.size() + " keys");
        final List<String> shown = new ArrayList<>();
        keys.forEach((name, type) -> {
            if (type == ConfigDef.Type.PASSWORD) {
                for (String key : List.of(name, "producer." + name, "main.consumer." + name, "admin." + name)) {
                    if (!SecretMasker.isSecretKey(key)) {
                        shown.add(key);
                    }
                }
            }
        });
        assertEquals(List.of(), shown);
        // the contents of key and trust stores, including the ones issue 15 found printed
        for (String key : List.of(
                "ssl.keystore.key",
                "ssl.keystore.certificate.chain",
                "ssl.truststore.certificates",
                "ssl.key.password",
                "sasl.jaas.config",
                "sasl.oauthbearer.client.credentials.client.secret")) {
            assertTrue(SecretMasker.isSecretKey(key), key);
        }
    }

    @Test
    void shouldShowTheOrdinarySettingsOfTheClients() {
        // a masker that hid everything would be safe and useless: the everyday keys stay readable
        for (String key : List.of(
                "bootstrap.servers",
                "acks",
                "security.protocol",
                "ssl.keystore.location",
                "ssl.keystore.type",
                "ssl.truststore.location",
                "key.serializer",
                "key.deserializer",
                "sasl.mechanism",
                "linger.ms",
                "npid.lr",
                "store.sync.writes")) {
            assertFalse(SecretMasker.isSecretKey(key), key);
        }
    }

    @Test
    void shouldHidePemValuesWhateverTheirKey() {
        final Map<String, Object> masked = SecretMasker.masked(Map.of(
                "my.plugin.setting",
                PEM,
                "acks",
                "all",
                "ssl.keystore.key",
                PEM,
                "sasl.jaas.config",
                "org.apache...PlainLoginModule required password=x;"));
        assertEquals(
                Map.of(
                        "acks",
                        "all",
                        "my.plugin.setting",
                        SecretMasker.HIDDEN,
                        "ssl.keystore.key",
                        SecretMasker.HIDDEN,
                        "sasl.jaas.config",
                        SecretMasker.HIDDEN),
                masked);
        assertFalse(masked.toString().contains("MIIE"), masked.toString());
    }
}
