package io.npid.schemas.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The one place that decides which setting values are secrets; every configuration an npid process prints or logs
 * goes through {@link #masked(Map)}.
 *
 * <p>A value is hidden when its key is a PASSWORD in any Kafka client's ConfigDef (producer, consumer, admin, with or
 * without a client prefix such as {@code producer.}), when the key's name looks like a secret or the contents of a
 * key or trust store (password, secret, jaas, token, credential, private, a name ending in {@code .key},
 * {@code keystore.certificate.chain}, {@code truststore.certificates}) so that plug-ins' settings Kafka does not know
 * are hidden too, or when the value itself looks like PEM ({@code -----BEGIN}), whatever its key.
 */
public final class SecretMasker {
    /** What a secret value is printed as. */
    public static final String HIDDEN = "[hidden]";

    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(password|secret|jaas|token|credential|private|\\.key$|^key$|keystore\\.certificate|truststore\\.certificate).*");
    private static final List<String> CLIENT_PREFIXES =
            List.of("producer.", "consumer.", "admin.", "main.consumer.", "restore.consumer.", "global.consumer.");
    private static final Set<String> PASSWORD_KEYS = passwordKeys();

    private SecretMasker() {}

    private static Set<String> passwordKeys() {
        final Set<String> keys = new HashSet<>();
        for (ConfigDef def :
                List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())) {
            def.configKeys().forEach((name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    keys.add(name);
                }
            });
        }
        return Set.copyOf(keys);
    }

    /**
     * Says whether a setting's value must never be printed, by its key alone.
     *
     * @param key a setting, possibly with a client prefix such as {@code producer.}
     * @return true when the key names a secret
     */
    public static boolean isSecretKey(final String key) {
        String bare = key;
        for (String prefix : CLIENT_PREFIXES) {
            if (bare.startsWith(prefix)) {
                bare = bare.substring(prefix.length());
                break;
            }
        }
        return PASSWORD_KEYS.contains(bare)
                || SECRET_NAME.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * Says whether a setting must be hidden, by its key or its value.
     *
     * @param key the setting's key
     * @param value its value, possibly null
     * @return true when the value must never be printed
     */
    public static boolean isSecret(final String key, final Object value) {
        return isSecretKey(key) || (value != null && String.valueOf(value).contains("-----BEGIN"));
    }

    /**
     * Returns the value to print for a setting.
     *
     * @param key the setting's key
     * @param value its value
     * @return {@link #HIDDEN} for a secret, else the value
     */
    public static Object shown(final String key, final Object value) {
        return isSecret(key, value) ? HIDDEN : value;
    }

    /**
     * Returns a sorted copy of the settings with every secret value replaced by {@link #HIDDEN}.
     *
     * @param settings settings of any kind (npid, store, Kafka client)
     * @return a printable copy
     */
    public static Map<String, Object> masked(final Map<String, ?> settings) {
        final Map<String, Object> out = new TreeMap<>();
        settings.forEach((k, v) -> out.put(k, shown(k, v)));
        return out;
    }
}
