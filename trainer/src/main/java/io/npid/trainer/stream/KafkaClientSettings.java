package io.npid.trainer.stream;

import io.npid.schemas.config.SecretMasker;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Kafka client settings a user passes through an npid process configuration, split per client type.
 *
 * <p>Any setting a Kafka consumer, producer or admin client knows (bootstrap.servers, security.protocol,
 * sasl.*, ssl.* ...) passes through untouched to every client type that knows it; a {@code consumer.},
 * {@code producer.} or {@code admin.} prefix limits a setting to one client type and wins over the unprefixed
 * value. When a client is built, the process's defaults go first, the user's settings on top, and the settings
 * the process owns (serializers, offset handling) last, so that a user cannot break the delivery guarantees.
 */
public final class KafkaClientSettings {
    /** Prefix that limits a client setting to consumers. */
    public static final String CONSUMER_PREFIX = "consumer.";
    /** Prefix that limits a client setting to producers. */
    public static final String PRODUCER_PREFIX = "producer.";
    /** Prefix that limits a client setting to admin clients. */
    public static final String ADMIN_PREFIX = "admin.";

    /**
     * Producer defaults of the npid processes on top of the low-latency ones: one request in flight per broker.
     *
     * <p>Measured on the embedded broker: records sent right after their topic was created got NOT_LEADER_OR_FOLLOWER
     * for the first in-flight batches while a later batch of the same idempotent producer was appended first; the
     * broker then refused the retried earlier sequence numbers (OUT_OF_ORDER_SEQUENCE_NUMBER) until the delivery
     * timeout, losing those dead letters. With one request in flight nothing can overtake a retry; records that
     * arrive meanwhile are batched together, so throughput stays.
     */
    public static final Map<String, Object> ORDERED_PRODUCER =
            Map.of(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);

    private static final Set<String> CONSUMER_KEYS = ConsumerConfig.configNames();
    private static final Set<String> PRODUCER_KEYS = ProducerConfig.configNames();
    private static final Set<String> ADMIN_KEYS = AdminClientConfig.configNames();

    private final Map<String, Object> consumer;
    private final Map<String, Object> producer;
    private final Map<String, Object> admin;

    private KafkaClientSettings(
            final Map<String, Object> consumer, final Map<String, Object> producer, final Map<String, Object> admin) {
        this.consumer = Collections.unmodifiableMap(consumer);
        this.producer = Collections.unmodifiableMap(producer);
        this.admin = Collections.unmodifiableMap(admin);
    }

    /**
     * Picks the Kafka client settings out of a process configuration.
     *
     * @param originals the whole configuration map; keys that are not client settings are ignored
     * @return the settings per client type
     * @throws ConfigException when bootstrap.servers is missing or blank
     */
    public static KafkaClientSettings from(final Map<String, ?> originals) {
        final Map<String, Object> consumer = new HashMap<>();
        final Map<String, Object> producer = new HashMap<>();
        final Map<String, Object> admin = new HashMap<>();
        // Unprefixed first, so that a prefixed value for the same key overrides it whatever the map order.
        originals.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            if (CONSUMER_KEYS.contains(key)) {
                consumer.put(key, value);
            }
            if (PRODUCER_KEYS.contains(key)) {
                producer.put(key, value);
            }
            if (ADMIN_KEYS.contains(key)) {
                admin.put(key, value);
            }
        });
        originals.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            if (key.startsWith(CONSUMER_PREFIX)) {
                consumer.put(key.substring(CONSUMER_PREFIX.length()), value);
            } else if (key.startsWith(PRODUCER_PREFIX)) {
                producer.put(key.substring(PRODUCER_PREFIX.length()), value);
            } else if (key.startsWith(ADMIN_PREFIX)) {
                admin.put(key.substring(ADMIN_PREFIX.length()), value);
            }
        });
        requireBootstrap(consumer);
        requireBootstrap(producer);
        requireBootstrap(admin);
        return new KafkaClientSettings(consumer, producer, admin);
    }

    /**
     * Tells whether a configuration key is a Kafka client setting (and so not a typo of an npid key).
     *
     * @param key a configuration key
     * @return true for a consumer, producer or admin setting, prefixed or not
     */
    public static boolean isClientKey(final String key) {
        return key.startsWith(CONSUMER_PREFIX)
                || key.startsWith(PRODUCER_PREFIX)
                || key.startsWith(ADMIN_PREFIX)
                || CONSUMER_KEYS.contains(key)
                || PRODUCER_KEYS.contains(key)
                || ADMIN_KEYS.contains(key);
    }

    /**
     * Builds consumer properties: defaults, then the user's settings, then the owned settings.
     *
     * @param defaults the process's defaults, overridable by the user
     * @param owned the settings the process owns, never overridden
     * @return a fresh mutable map for the KafkaConsumer constructor
     */
    public Map<String, Object> consumer(final Map<String, ?> defaults, final Map<String, ?> owned) {
        return layer(defaults, consumer, owned);
    }

    /**
     * Builds producer properties: defaults, then the user's settings, then the owned settings.
     *
     * @param defaults the process's defaults, overridable by the user
     * @param owned the settings the process owns, never overridden
     * @return a fresh mutable map for the KafkaProducer constructor
     */
    public Map<String, Object> producer(final Map<String, ?> defaults, final Map<String, ?> owned) {
        return layer(defaults, producer, owned);
    }

    /**
     * Builds admin client properties: the user's settings on top of the given defaults.
     *
     * @param defaults the process's defaults, overridable by the user
     * @return a fresh mutable map for Admin.create
     */
    public Map<String, Object> admin(final Map<String, ?> defaults) {
        return layer(defaults, admin, Map.of());
    }

    /**
     * Returns the bootstrap servers the clients connect to.
     *
     * @return the bootstrap.servers value as given
     */
    public String bootstrapServers() {
        return String.valueOf(consumer.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    private static Map<String, Object> layer(
            final Map<String, ?> defaults, final Map<String, Object> user, final Map<String, ?> owned) {
        final Map<String, Object> result = new HashMap<>(defaults);
        result.putAll(user);
        result.putAll(owned);
        return result;
    }

    private static void requireBootstrap(final Map<String, Object> settings) {
        final Object servers = settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || String.valueOf(servers).isBlank()) {
            throw new ConfigException(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    servers,
                    "a Kafka bootstrap server list (host:port,...) is required");
        }
    }

    /**
     * Masks the values of secrets for logging (see {@link SecretMasker}, the one rule of every npid process).
     *
     * @param settings client settings
     * @return a sorted copy whose secret values read "[hidden]"
     */
    public static Map<String, Object> masked(final Map<String, ?> settings) {
        return SecretMasker.masked(settings);
    }

    @Override
    public String toString() {
        return "KafkaClientSettings{consumer=" + masked(consumer) + ", producer=" + masked(producer) + ", admin="
                + masked(admin) + "}";
    }
}
