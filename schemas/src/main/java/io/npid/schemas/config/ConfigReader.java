package io.npid.schemas.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * How an npid config reads its settings, the same way in every module: old names renamed (with a warning), unknown
 * keys in the config's own namespace refused naming the closest, then every declared key parsed and validated by its
 * ConfigDef (X_CONFIG key, X_DOC documentation, type, default, validator).
 *
 * @param settings the settings under their current names, e.g. for {@code Topics.fromConfig} or pass-through keys
 * @param values the parsed values of the declared keys
 */
public record ConfigReader(Map<String, Object> settings, AbstractConfig values) {

    /**
     * Reads settings with a definition.
     *
     * @param definition the declared keys
     * @param given the settings as given; keys outside {@code ownPrefix} are left for others
     * @param ownPrefix the namespace whose every key must be declared, e.g. {@code npid.indexer.}
     * @param listing what the error points to for the list, e.g. {@code npid settings indexer}
     * @param warn receives one line per old name used
     * @return the settings and the parsed values
     * @throws ConfigException naming the first unknown or invalid setting
     */
    public static ConfigReader read(
            final ConfigDef definition,
            final Map<String, ?> given,
            final String ownPrefix,
            final String listing,
            final Consumer<String> warn) {
        return read(definition, given, List.of(ownPrefix), listing, warn);
    }

    /**
     * Reads settings with a definition whose keys lie in several namespaces.
     *
     * @param definition the declared keys
     * @param given the settings as given; keys outside {@code ownPrefixes} are left for others
     * @param ownPrefixes the namespaces whose every key must be declared; a prefix without a final dot, such as
     *     {@code npid.lr}, also catches a misspelled key itself ({@code npid.lrr})
     * @param listing what the error points to for the list, e.g. {@code npid settings trainer}
     * @param warn receives one line per old name used
     * @return the settings and the parsed values
     * @throws ConfigException naming the first unknown or invalid setting
     */
    public static ConfigReader read(
            final ConfigDef definition,
            final Map<String, ?> given,
            final List<String> ownPrefixes,
            final String listing,
            final Consumer<String> warn) {
        final Map<String, Object> settings = RenamedSettings.apply(given, warn);
        SettingNames.requireKnown(settings, ownPrefixes, definition.names(), listing);
        return new ConfigReader(Collections.unmodifiableMap(settings), new AbstractConfig(definition, settings, false));
    }

    /**
     * The effective settings, for provenance: every setting given (Kafka client settings included), then every
     * declared key with its parsed value or default, and every secret hidden ({@link SecretMasker}).
     *
     * @return a sorted, unmodifiable map of printable values
     */
    public Map<String, String> effective() {
        final Map<String, Object> all = new TreeMap<>(settings);
        all.putAll(values.values());
        final Map<String, String> out = new TreeMap<>();
        SecretMasker.masked(all).forEach((key, value) -> out.put(key, String.valueOf(value)));
        return Collections.unmodifiableMap(out);
    }
}
