package io.npid.deploy.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Tells which client settings hold secrets and hides their values wherever a configuration is printed or logged.
 *
 * <p>A key is secret when any Kafka client declares it as a PASSWORD, or when its name looks like one (password,
 * secret, jaas, token, credential), so that settings of plug-ins Kafka does not know are hidden as well.
 */
public final class SecretMasker {
    /** What a secret value is printed as. */
    public static final String HIDDEN = "[hidden]";

    private static final Pattern SECRET_NAME =
        Pattern.compile("(?i).*(password|secret|jaas|token|credential|api\\.key|private\\.key).*");

    private SecretMasker() {
    }

    /**
     * Says whether a setting holds a secret.
     *
     * @param key a client setting, possibly with a client prefix such as {@code producer.}
     * @return true when its value must never be printed
     */
    public static boolean isSecret(final String key) {
        final ConfigDef.ConfigKey known = KafkaSettingNames.KNOWN.get(KafkaSettingNames.withoutClientPrefix(key));
        if (known != null && known.type == ConfigDef.Type.PASSWORD) {
            return true;
        }
        return SECRET_NAME.matcher(key).matches();
    }

    /**
     * Returns a sorted copy of the settings with every secret value replaced by {@link #HIDDEN}.
     *
     * @param settings client settings
     * @return a printable copy
     */
    public static Map<String, String> masked(final Map<String, ?> settings) {
        final Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> out.put(k, isSecret(k) ? HIDDEN : String.valueOf(v)));
        return out;
    }
}
