package io.npid.deploy.cli;

import io.npid.deploy.process.KafkaClientConfig;
import io.npid.deploy.process.KafkaUnavailableException;
import io.npid.deploy.process.SettingException;
import io.npid.deploy.settings.SettingsCatalog;
import io.npid.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * The Kafka connection options shared by every command that talks to a cluster (a picocli mixin).
 *
 * <p>The properties file may also hold the process's own {@code npid.*} settings; they go to the process's
 * config, not to the Kafka clients. Order of precedence, lowest first: the {@code --config} properties file, {@code --kafka KEY=VALUE}, secrets read
 * by {@code --kafka-secret KEY=file:PATH|env:NAME}, and {@code --bootstrap-servers}. Secrets are read only here and
 * printed nowhere; {@link KafkaClientConfig#toString()} masks them.
 */
public final class KafkaOptions {

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:NPID_BOOTSTRAP_SERVERS}",
            description = "Kafka servers to connect to (env NPID_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            defaultValue = "${env:NPID_KAFKA_CONFIG}",
            description =
                    "Kafka client properties file, e.g. security.protocol, sasl.*, ssl.* (env NPID_KAFKA_CONFIG).")
    Path configFile;

    @Option(
            names = "--kafka",
            paramLabel = "KEY=VALUE",
            mapFallbackValue = "",
            description = "A Kafka client property, passed through; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--kafka-secret",
            paramLabel = "KEY=file:PATH|env:NAME",
            description = "A secret client property read from a file or an environment variable, never printed; "
                    + "repeatable, e.g. sasl.jaas.config=file:/etc/npid/jaas.conf.")
    Map<String, String> secrets = new LinkedHashMap<>();

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = "${env:NPID_TOPIC_PREFIX:-" + Topics.DEFAULT_TOPIC_PREFIX + "}",
            description = "Prefix of every npid topic name, npid.topic.prefix (env NPID_TOPIC_PREFIX; default "
                    + Topics.DEFAULT_TOPIC_PREFIX + ").")
    String topicPrefix;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "${env:NPID_TOPIC_PARTITIONS}",
            description = "Partitions of the data topics, npid.topic.partitions: what npid topics creates and what the "
                    + "processes check (env NPID_TOPIC_PARTITIONS; default " + Topics.DEFAULT_PARTITIONS + ").")
    Integer partitions;

    @Option(
            names = "--connect-timeout",
            paramLabel = "SECONDS",
            defaultValue = "${env:NPID_CONNECT_TIMEOUT:-5}",
            description =
                    "How long connecting to Kafka and its first answer may take at start before the command stops "
                            + "and says what is wrong; the first requests with the security settings (credentials, topics) get three "
                            + "times as long (env NPID_CONNECT_TIMEOUT; default 5).")
    double connectTimeoutSeconds = KafkaProbe.DEFAULT_WAIT.toSeconds();

    /**
     * Checks that Kafka answers at the configured servers and has the given topics, in a few seconds; run it before
     * building clients, whose own waits are a minute long and whose errors do not say what is wrong.
     *
     * @param config the config from {@link #toConfig()}
     * @param topics full names of the topics the command needs
     * @throws KafkaUnavailableException when Kafka does not answer, saying what answered instead
     * @throws MissingTopicsException when a topic does not exist
     * @throws org.apache.kafka.common.errors.AuthenticationException when Kafka refused the credentials
     */
    public void probe(final KafkaClientConfig config, final String... topics) {
        if (!(connectTimeoutSeconds > 0) || connectTimeoutSeconds > 3600) {
            throw new SettingException(
                    "--connect-timeout", connectTimeoutSeconds, "must be between 0 and 3600 " + "seconds, e.g. 5");
        }
        KafkaProbe.check(config, Duration.ofMillis(Math.round(connectTimeoutSeconds * 1000)), List.of(topics));
    }

    /**
     * Validates the options and builds the client config.
     *
     * @return the config
     * @throws SettingException naming the first bad option
     * @throws org.apache.kafka.common.config.ConfigException when the servers are missing or malformed
     * @throws java.io.UncheckedIOException when the properties file cannot be read
     */
    public KafkaClientConfig toConfig() {
        return toConfig(System::getenv);
    }

    /**
     * Validates the options and builds the client config, reading environment variables through {@code env}.
     *
     * @param env environment lookup (tests pass a map)
     * @return the config
     */
    KafkaClientConfig toConfig(final UnaryOperator<String> env) {
        final Map<String, String> settings = new LinkedHashMap<>();
        final Map<String, String> npid = new LinkedHashMap<>();
        if (configFile != null) {
            // one file may hold both the client settings and the process's own npid.* settings
            readProperties(configFile).forEach((k, v) -> {
                if (k.startsWith("npid.") || k.startsWith("store.")) {
                    npid.put(k, v);
                } else {
                    checkKnown(configFile.toString(), k);
                    KafkaSettingNames.validate(k, v);
                    settings.put(k, v);
                }
            });
        }
        SettingsCatalog.requireKnownByAny(npid);
        overrides.forEach((k, v) -> {
            checkKnown("--kafka", k);
            KafkaSettingNames.validate(k, v);
            settings.put(k, v);
        });
        secrets.forEach((k, ref) -> {
            checkKnown("--kafka-secret", k);
            settings.put(k, readSecret(k, ref, env));
        });
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        if (partitions != null) {
            npid.put(Topics.TOPIC_PARTITIONS_CONFIG, partitions.toString());
        }
        return new KafkaClientConfig(settings, topicPrefix, npid);
    }

    /**
     * Says whether any connection option was given, so that a command can fall back to a local stack.
     *
     * @return true when servers or a config file were given
     */
    public boolean given() {
        return (bootstrapServers != null && !bootstrapServers.isBlank()) || configFile != null;
    }

    /** @return the topic prefix, possibly empty */
    public String topicPrefix() {
        return topicPrefix == null ? Topics.DEFAULT_TOPIC_PREFIX : topicPrefix;
    }

    private static void checkKnown(final String option, final String key) {
        if (!KafkaSettingNames.isKnown(key)) {
            throw new SettingException(
                    option,
                    key,
                    "not a Kafka client setting"
                            + KafkaSettingNames.closest(key)
                                    .map(s -> " (did you mean " + s + "?)")
                                    .orElse(""));
        }
    }

    private static Map<String, String> readProperties(final Path file) {
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        final Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    private static String readSecret(final String key, final String ref, final UnaryOperator<String> env) {
        final String setting = "--kafka-secret " + key;
        if (ref.startsWith("file:")) {
            final Path path = Path.of(ref.substring("file:".length()));
            try {
                return Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new SettingException(
                        setting, ref, "cannot read the file (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (ref.startsWith("env:")) {
            final String name = ref.substring("env:".length());
            final String value = env.apply(name);
            if (value == null || value.isEmpty()) {
                throw new SettingException(setting, ref, "environment variable " + name + " is not set");
            }
            return value;
        }
        throw new SettingException(setting, "(hidden)", "give file:PATH or env:NAME, never the secret itself");
    }
}
