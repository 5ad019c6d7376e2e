package io.npid.schemas.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
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
    public static ConfigReader read(final ConfigDef definition, final Map<String, ?> given, final String ownPrefix,
                                    final String listing, final Consumer<String> warn) {
        final Map<String, Object> settings = RenamedSettings.apply(given, warn);
        SettingNames.requireKnown(settings, List.of(ownPrefix), definition.names(), listing);
        return new ConfigReader(Collections.unmodifiableMap(settings), new AbstractConfig(definition, settings,
            false));
    }
}
