package io.npid.deploy.process;

import io.npid.schemas.Topics;
import io.npid.schemas.config.ConfigReader;
import io.npid.schemas.config.SecretMasker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Kafka client settings every npid process shares (servers, security, any pass-through property) and the topic
 * prefix; immutable and validated when built.
 *
 * <p>Processes take a copy with {@link #with(Map)} and put the settings they own on top, so a user's file can never
 * switch off, say, the Streams processing guarantee a process relies on. {@link #toString()} masks secrets.
 *
 * @param settings client settings, user file first, then {@code --kafka}, then secrets, then the servers flag
 * @param topicPrefix prefix of every topic name, possibly empty
 * @param npidSettings {@code npid.*} settings from the properties file, for the processes' own configs
 */
public record KafkaClientConfig(Map<String, String> settings, String topicPrefix, Map<String, String> npidSettings) {

    /**
     * Every server of a list must be HOST:PORT; an empty list names the option that gives it. Null passes: it is
     * the declared default (ConfigDef checks a default at declaration), and a missing list is refused after reading.
     */
    private static final ConfigDef.Validator HOST_PORTS = (name, value) -> {
        if (value == null) {
            return;
        }
        final String servers = String.valueOf(value);
        if (servers.isBlank()) {
            throw new ConfigException(
                    name, "(none)", "give --bootstrap-servers HOST:PORT[,HOST:PORT...] or set it in the --config file");
        }
        for (String server : servers.split(",")) {
            final String s = server.strip();
            final int colon = s.lastIndexOf(':');
            if (colon <= 0
                    || colon == s.length() - 1
                    || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new ConfigException(name, servers, "each server must be HOST:PORT, e.g. kafka-0.kafka:9092");
            }
        }
    };

    /** What every client command checks before it connects: the brokers and the topics' prefix. */
    private static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    Type.STRING,
                    null,
                    HOST_PORTS,
                    Importance.HIGH,
                    CommonClientConfigs.BOOTSTRAP_SERVERS_DOC)
            .define(
                    Topics.TOPIC_PREFIX_CONFIG,
                    Type.STRING,
                    Topics.DEFAULT_TOPIC_PREFIX,
                    Importance.MEDIUM,
                    Topics.TOPIC_PREFIX_DOC);

    /**
     * Validates and copies the settings.
     *
     * @param settings client settings; must contain {@code bootstrap.servers}
     * @param topicPrefix topic prefix, null for the default
     * @param npidSettings npid settings from the file
     * @throws ConfigException when the servers are missing or malformed, or the prefix is not a topic name's
     */
    public KafkaClientConfig {
        settings = Map.copyOf(settings);
        npidSettings = Map.copyOf(npidSettings);
        topicPrefix = topicPrefix == null ? Topics.DEFAULT_TOPIC_PREFIX : topicPrefix;
        // read as every npid config is, so a bad value fails the same way (exit 2, one line naming the key)
        final Map<String, Object> given = new HashMap<>(settings);
        given.put(Topics.TOPIC_PREFIX_CONFIG, topicPrefix);
        if (ConfigReader.read(CONFIG, given, List.of(), "npid settings", message -> {})
                        .values()
                        .getString(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                == null) {
            HOST_PORTS.ensureValid(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "");
        }
        Topics.withPrefix(topicPrefix); // validates the prefix, naming npid.topic.prefix
    }

    /**
     * Builds the settings of a process on an embedded broker: only the servers.
     *
     * @param bootstrapServers the embedded broker's address
     * @param topicPrefix topic prefix, possibly empty
     * @return the config
     */
    public static KafkaClientConfig of(final String bootstrapServers, final String topicPrefix) {
        return new KafkaClientConfig(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topicPrefix, Map.of());
    }

    /**
     * The topic registry with this config's prefix and the file's {@code npid.image.max.bytes}, for clients
     * (partition counts matter only when creating).
     *
     * @return the registry
     * @throws org.apache.kafka.common.config.ConfigException when the image limit is invalid
     */
    public Topics topics() {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(Topics.TOPIC_PREFIX_CONFIG, topicPrefix);
        if (npidSettings.containsKey(Topics.IMAGE_MAX_BYTES_CONFIG)) {
            settings.put(Topics.IMAGE_MAX_BYTES_CONFIG, npidSettings.get(Topics.IMAGE_MAX_BYTES_CONFIG));
        }
        return Topics.fromConfig(settings);
    }

    /**
     * The topic registry with this config's prefix.
     *
     * @param partitions partitions of the data topics
     * @return the registry
     */
    public Topics topics(final int partitions) {
        return topics().withPartitions(partitions);
    }

    /**
     * The topic registry with this config's prefix and the partitions of {@code npid.topic.partitions}
     * (from --partitions or the config file), or the default count.
     *
     * @return the registry
     * @throws org.apache.kafka.common.config.ConfigException when the partition count is invalid
     */
    public Topics configuredTopics() {
        return Topics.fromConfig(processConfig(Map.of()));
    }

    /**
     * The settings of a process's own config object: the client settings, the file's npid settings, the topic
     * prefix, then the process's settings on top.
     *
     * @param processSettings npid settings the command line gave
     * @return a new map for a module's config constructor
     */
    public Map<String, Object> processConfig(final Map<String, ?> processSettings) {
        final Map<String, Object> out = new HashMap<>(settings);
        out.putAll(npidSettings);
        out.put(Topics.TOPIC_PREFIX_CONFIG, topicPrefix);
        out.putAll(processSettings);
        return out;
    }

    /** @return the bootstrap servers */
    public String bootstrapServers() {
        return settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /**
     * Returns the settings with a process's own settings on top.
     *
     * @param owned settings the process owns (serdes, group id, guarantees)
     * @return a new mutable map for a Kafka client constructor
     */
    public Map<String, Object> with(final Map<String, ?> owned) {
        final Map<String, Object> out = new HashMap<>(settings);
        out.putAll(owned);
        return out;
    }

    /**
     * Returns the settings with a process's own settings on top, as Properties (for Kafka Streams).
     *
     * @param owned settings the process owns
     * @return a new Properties object
     */
    public Properties properties(final Map<String, ?> owned) {
        final Properties p = new Properties();
        p.putAll(with(owned));
        return p;
    }

    @Override
    public String toString() {
        return "KafkaClientConfig" + SecretMasker.masked(settings) + " topicPrefix='" + topicPrefix + "'"
                + (npidSettings.isEmpty() ? "" : " npid" + SecretMasker.masked(npidSettings));
    }
}
