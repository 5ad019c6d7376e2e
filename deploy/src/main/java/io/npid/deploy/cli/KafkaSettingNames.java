package io.npid.deploy.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The names of every Kafka client setting (producer, consumer, admin, Streams), used to catch typos in
 * {@code --kafka KEY=VALUE} before a process starts.
 */
final class KafkaSettingNames {
    /** Prefixes that route a setting to one client inside Kafka Streams, or that configure plug-ins. */
    private static final List<String> CLIENT_PREFIXES = List.of("producer.", "consumer.", "admin.",
        "main.consumer.", "restore.consumer.", "global.consumer.", "topic.");
    private static final List<String> PLUGIN_PREFIXES = List.of("config.providers", "sasl.login.",
        "listener.name.", "ssl.engine.factory.", "metric.reporters.", "rack.aware.");

    /** Every setting of the producer, consumer, admin client and Kafka Streams, by name. */
    static final Map<String, ConfigDef.ConfigKey> KNOWN = knownKeys();

    private KafkaSettingNames() {
    }

    private static Map<String, ConfigDef.ConfigKey> knownKeys() {
        final Map<String, ConfigDef.ConfigKey> keys = new HashMap<>();
        for (ConfigDef def : List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(),
            AdminClientConfig.configDef(), StreamsConfig.configDef())) {
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
        String best = null;
        int bestDistance = Math.max(3, key.length() / 5) + 1;
        for (String candidate : KNOWN.keySet()) {
            final int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int distance(final String a, final String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            final int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
