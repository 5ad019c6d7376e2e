package io.npid.deploy.cli;

import io.npid.schemas.config.SecretMasker;
import io.npid.schemas.config.SettingNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The names of every Kafka client setting (producer, consumer, admin, Streams), used to catch typos in
 * {@code --kafka KEY=VALUE} before a process starts.
 */
final class KafkaSettingNames {
    /** Prefixes that route a setting to one client inside Kafka Streams, or that configure plug-ins. */
    private static final List<String> CLIENT_PREFIXES = List.of(
            "producer.", "consumer.", "admin.", "main.consumer.", "restore.consumer.", "global.consumer.", "topic.");

    private static final List<String> PLUGIN_PREFIXES = List.of(
            "config.providers",
            "sasl.login.",
            "listener.name.",
            "ssl.engine.factory.",
            "metric.reporters.",
            "rack.aware.");

    /** Every setting of the producer, consumer, admin client and Kafka Streams, by name. */
    static final Map<String, ConfigDef.ConfigKey> KNOWN = knownKeys();

    private KafkaSettingNames() {}

    private static Map<String, ConfigDef.ConfigKey> knownKeys() {
        final Map<String, ConfigDef.ConfigKey> keys = new HashMap<>();
        for (ConfigDef def : List.of(
                ProducerConfig.configDef(),
                ConsumerConfig.configDef(),
                AdminClientConfig.configDef(),
                StreamsConfig.configDef())) {
            keys.putAll(def.configKeys());
        }
        return Map.copyOf(keys);
    }

    static String withoutClientPrefix(final String key) {
        for (String prefix : CLIENT_PREFIXES) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return key;
    }

    /**
     * Says whether a key is a setting some Kafka client understands.
     *
     * @param key the key as given
     * @return true when known, client-prefixed and known, or a plug-in's own key
     */
    static boolean isKnown(final String key) {
        if (PLUGIN_PREFIXES.stream().anyMatch(key::startsWith)) {
            return true;
        }
        return KNOWN.containsKey(withoutClientPrefix(key));
    }

    /**
     * Finds the known setting closest to a misspelt one.
     *
     * @param key the unknown key
     * @return the nearest known key within a small edit distance
     */
    static Optional<String> closest(final String key) {
        return SettingNames.closest(key, KNOWN.keySet());
    }

    /**
     * Checks a value against the type and validator the Kafka clients declare for its key, so that, say,
     * {@code acks=foo} is refused at start rather than when the first producer is built.
     *
     * @param key a known key, possibly client-prefixed
     * @param value the value given
     * @throws org.apache.kafka.common.config.ConfigException naming the key, the value (masked) and the reason
     */
    static void validate(final String key, final String value) {
        final ConfigDef.ConfigKey def = KNOWN.get(withoutClientPrefix(key));
        if (def == null) {
            return;
        }
        try {
            final Object parsed = ConfigDef.parseType(def.name, value, def.type);
            if (def.validator != null) {
                def.validator.ensureValid(def.name, parsed);
            }
        } catch (ConfigException e) {
            throw new ConfigException(key, SecretMasker.shown(key, value), reason(e, def));
        }
    }

    private static String reason(final ConfigException e, final ConfigDef.ConfigKey def) {
        final String message = String.valueOf(e.getMessage());
        final int colon = message.indexOf(": ");
        final String why = message.startsWith("Invalid value") && colon > 0 ? message.substring(colon + 2) : message;
        return why + (def.validator != null ? " (valid values: " + def.validator + ")" : " (a " + def.type + ")");
    }
}
