package io.npid.deploy.cli;

import io.npid.deploy.process.SettingException;
import io.npid.deploy.settings.SettingsCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --set KEY=VALUE} option of the process commands (a picocli mixin): any npid setting of the process's
 * own config, validated by that config when the process starts.
 */
public final class ProcessSettings {

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A process setting, e.g. npid.lr=0.01 or npid.embedder.max.batch.size=64; repeatable; "
                    + "'npid settings COMMAND' lists them all with their defaults. Settings in --config FILE come first, "
                    + "--set and the dedicated flags win.")
    Map<String, String> settings = new LinkedHashMap<>();

    /**
     * Returns the settings, checking that each is a setting the command takes (see {@code npid settings COMMAND}).
     *
     * @param command the command, one of {@link SettingsCatalog#COMMANDS}
     * @return the settings in the order given
     * @throws SettingException naming a key that belongs to {@code --kafka}
     * @throws org.apache.kafka.common.config.ConfigException naming an unknown key and the closest known one
     */
    public Map<String, String> settings(final String command) {
        for (String key : settings.keySet()) {
            if (!key.startsWith("npid.") && !key.startsWith("store.")) {
                throw new SettingException(
                        "--set",
                        key,
                        "npid settings start with npid. (feature-store tuning with "
                                + "store.); give Kafka client settings with --kafka");
            }
        }
        SettingsCatalog.requireKnown(command, settings);
        return settings;
    }
}
