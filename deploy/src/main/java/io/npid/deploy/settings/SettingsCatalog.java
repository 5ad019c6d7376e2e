package io.npid.deploy.settings;

import io.npid.indexer.IndexerConfig;
import io.npid.schemas.Topics;
import io.npid.schemas.config.SettingNames;
import io.npid.store.StoreOptions;
import io.npid.trainer.embed.EmbedderConfig;
import io.npid.trainer.stream.StreamingTrainerConfig;
import io.npid.trainer.train.TrainerConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings each command takes ({@code --set KEY=VALUE} or the {@code --config} file), section by section, as the
 * modules declare them; nothing here restates a default or a doc.
 */
public final class SettingsCatalog {
    /** Commands that take npid settings, in the order {@code npid settings} lists them. */
    public static final List<String> COMMANDS = List.of("trainer", "embedder", "indexer", "local", "bench learn");

    /** Prefixes of the namespaces whose keys must be declared; other keys are Kafka client settings. */
    public static final List<String> CHECKED_PREFIXES = List.of("npid.", "store.");

    /**
     * One group of settings read by one module's config.
     *
     * @param title what reads them, e.g. {@code trainer process}
     * @param keys their declarations, in declaration order
     */
    public record Section(String title, List<ConfigDef.ConfigKey> keys) {
        /**
         * Copies the keys.
         *
         * @param title what reads them
         * @param keys their declarations
         */
        public Section {
            keys = List.copyOf(keys);
        }
    }

    private SettingsCatalog() {}

    /**
     * The topic registry's settings, which every process reads through {@link Topics#fromConfig}.
     *
     * @return their declarations
     */
    static ConfigDef topicsDef() {
        return new ConfigDef()
                .define(
                        Topics.TOPIC_PREFIX_CONFIG,
                        Type.STRING,
                        Topics.DEFAULT_TOPIC_PREFIX,
                        Importance.MEDIUM,
                        Topics.TOPIC_PREFIX_DOC)
                .define(
                        Topics.TOPIC_PARTITIONS_CONFIG,
                        Type.INT,
                        Topics.DEFAULT_PARTITIONS,
                        Range.between(1, 1000),
                        Importance.MEDIUM,
                        Topics.TOPIC_PARTITIONS_DOC)
                .define(
                        Topics.IMAGE_MAX_BYTES_CONFIG,
                        Type.INT,
                        Topics.DEFAULT_IMAGE_MAX_BYTES,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        Topics.IMAGE_MAX_BYTES_DOC);
    }

    /**
     * The sections of one command; a key declared by two modules is listed once, in the first.
     *
     * @param command one of {@link #COMMANDS}
     * @return its sections
     * @throws IllegalArgumentException for another command
     */
    public static List<Section> sections(final String command) {
        final Map<String, ConfigDef> defs = new LinkedHashMap<>();
        switch (command) {
            case "trainer", "local" -> {
                defs.put("trainer process (npid.trainer.*, images)", StreamingTrainerConfig.configDef());
                defs.put("learner", TrainerConfig.configDef());
                defs.put("topics", topicsDef());
                defs.put("feature store (store.*)", StoreOptions.configDef());
            }
            case "embedder" -> {
                defs.put("embedder process", EmbedderConfig.configDef());
                defs.put("topics", topicsDef());
            }
            case "indexer" -> {
                defs.put("indexer process", IndexerConfig.configDef());
                defs.put("topics", topicsDef());
            }
            case "bench learn" -> defs.put("learner", TrainerConfig.configDef());
            default ->
                throw new IllegalArgumentException("no settings for command " + command + "; commands with "
                        + "settings: " + String.join(", ", COMMANDS));
        }
        // store.dimension is the trainer's npid.low.dim (see RenamedSettings), never a setting of its own
        final Set<String> seen = new LinkedHashSet<>(List.of(StoreOptions.DIMENSION_CONFIG));
        final List<Section> out = new ArrayList<>();
        defs.forEach((title, def) -> {
            final List<ConfigDef.ConfigKey> keys = new ArrayList<>();
            def.configKeys().values().forEach(k -> {
                if (seen.add(k.name)) {
                    keys.add(k);
                }
            });
            out.add(new Section(title, keys));
        });
        return out;
    }

    /**
     * Every key one command takes.
     *
     * @param command one of {@link #COMMANDS}
     * @return the keys
     */
    public static Set<String> keys(final String command) {
        final Set<String> keys = new LinkedHashSet<>();
        sections(command).forEach(s -> s.keys().forEach(k -> keys.add(k.name)));
        return Collections.unmodifiableSet(keys);
    }

    /**
     * Every key any command takes, for a properties file that several processes share.
     *
     * @return the keys
     */
    public static Set<String> allKeys() {
        final Set<String> keys = new LinkedHashSet<>();
        COMMANDS.forEach(c -> keys.addAll(keys(c)));
        return Collections.unmodifiableSet(keys);
    }

    /**
     * Fails on an {@code npid.*} or {@code store.*} key the command does not take.
     *
     * @param command one of {@link #COMMANDS}
     * @param settings the settings given to it
     * @throws ConfigException naming the key and the closest known one
     */
    public static void requireKnown(final String command, final Map<String, ?> settings) {
        SettingNames.requireKnown(settings, CHECKED_PREFIXES, keys(command), "npid settings " + command);
    }

    /**
     * Fails on an {@code npid.*} or {@code store.*} key that no command takes (a file shared by several processes
     * may hold the settings of each).
     *
     * @param settings the file's settings
     * @throws ConfigException naming the key and the closest known one
     */
    public static void requireKnownByAny(final Map<String, ?> settings) {
        SettingNames.requireKnown(settings, CHECKED_PREFIXES, allKeys(), "npid settings");
    }
}
