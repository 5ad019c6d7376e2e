package io.npid.schemas.kafka;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.serde.SchemaHistory;
import io.npid.schemas.serde.WriterSchemaSource;
import io.npid.schemas.serde.WriterSchemas;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's view of the {@code schemas} topic, the cluster's schema registry: writers register every schema
 * they write there, keyed by fingerprint, before their first record; readers look up a fingerprint they do not
 * know there, so an older process reads a newer writer's records (Avro resolution, writer schema to reader schema)
 * during a rolling upgrade.
 *
 * <p>{@link #open} creates the topic if it is missing, registers this build's event schemas and installs this
 * view in {@link WriterSchemas}, which every serde consults; {@link #close} uninstalls it. A lookup reads the
 * topic up to its end offset, so a schema registered before the record that needs it was written is always found;
 * a fingerprint nobody registered is not found and its record goes to dead-letters as {@code unknown-schema}.
 * Thread-safe: lookups come from stream threads and consumer loops alike.
 */
public final class SchemaTopic implements WriterSchemaSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final TopicSpec<String, String> spec;
    private final TopicPartition partition;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<Long, Schema> known = new HashMap<>();
    private AutoCloseable installed = () -> {};
    /** The end offset the last lookup read up to: a miss with the same end need not read again. */
    private long readTo = -1;

    private SchemaTopic(final Topics topics, final Map<String, ?> clientSettings) {
        this.spec = topics.schemas();
        this.partition = new TopicPartition(spec.name(), 0);
        final Map<String, Object> producerConfig = only(clientSettings, ProducerConfig.configNames());
        producerConfig.putAll(ClientDefaults.lowLatencyProducer());
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "npid-schemas-writer");
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        final Map<String, Object> consumerConfig = only(clientSettings, ConsumerConfig.configNames());
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned, never a group member
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "npid-schemas-reader");
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /**
     * Opens the view: creates the topic if missing, registers the current event schemas
     * ({@link SchemaHistory#current()}) and installs the view for every serde of this process.
     *
     * @param topics the registry, for the topic's name
     * @param clientSettings Kafka client settings (bootstrap servers, security); other keys are ignored
     * @return the open view; close it when the process stops
     * @throws KafkaException if the cluster cannot be reached or refuses the registration
     */
    public static SchemaTopic open(final Topics topics, final Map<String, ?> clientSettings) {
        try (Admin admin = Admin.create(only(clientSettings, AdminClientConfig.configNames()))) {
            new TopicAdmin(admin, TopicAdmin.DEFAULT_TIMEOUT).ensure(List.of(topics.schemas()));
        }
        final SchemaTopic view = new SchemaTopic(topics, clientSettings);
        try {
            for (final Schema schema : SchemaHistory.current()) {
                view.register(schema);
            }
            view.installed = WriterSchemas.install(view);
            return view;
        } catch (final RuntimeException e) {
            view.close();
            throw e;
        }
    }

    /**
     * Registers a writer schema and waits until the broker has it, so any record written afterwards can be read.
     *
     * @param schema a record schema, with its field defaults
     * @throws KafkaException if the broker does not acknowledge it in time
     */
    public synchronized void register(final Schema schema) {
        final long fingerprint = SchemaHistory.fingerprint(schema);
        try {
            producer.send(new ProducerRecord<>(spec.name(), key(fingerprint), schema.toString()))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while registering schema " + key(fingerprint), e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new KafkaException(
                    "Cannot register schema " + schema.getFullName() + " (" + key(fingerprint) + ") in " + spec.name()
                            + ": " + e.getMessage(),
                    e);
        }
        known.put(fingerprint, schema);
    }

    @Override
    public synchronized Optional<Schema> find(final long fingerprint) {
        final Schema cached = known.get(fingerprint);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            final Long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            if (end != null && end != readTo) {
                final long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (consumer.position(partition, TIMEOUT) < end && System.nanoTime() < deadline) {
                    consumer.poll(POLL).forEach(this::learn);
                }
                readTo = end;
            }
        } catch (final KafkaException e) {
            // The record that needed it goes to dead-letters as unknown-schema; say why once here.
            LOG.warn("Cannot read {} to look up schema {}: {}", spec.name(), key(fingerprint), e.toString());
        }
        return Optional.ofNullable(known.get(fingerprint));
    }

    @Override
    public synchronized void close() {
        try {
            installed.close();
        } catch (final Exception e) {
            throw new IllegalStateException("Cannot uninstall the schema view", e);
        } finally {
            producer.close(Duration.ofSeconds(5));
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The key of a schema in the topic: its fingerprint as 16 lower-case hex digits.
     *
     * @param fingerprint a single-object fingerprint
     * @return the key
     */
    public static String key(final long fingerprint) {
        return String.format("%016x", fingerprint);
    }

    private void learn(final ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return;
        }
        try {
            final Schema schema = new Schema.Parser().parse(record.value());
            final long fingerprint = SchemaHistory.fingerprint(schema);
            // The key must name the schema it holds: a wrong pair would make readers mis-read records.
            if (key(fingerprint).equals(record.key())) {
                known.put(fingerprint, schema);
            } else {
                LOG.warn(
                        "Ignoring {} offset {}: key {} is not the fingerprint {} of its schema",
                        spec.name(),
                        record.offset(),
                        record.key(),
                        key(fingerprint));
            }
        } catch (final SchemaParseException e) {
            LOG.warn("Ignoring {} offset {}: not a schema ({})", spec.name(), record.offset(), e.getMessage());
        }
    }

    private static Map<String, Object> only(final Map<String, ?> settings, final Set<String> names) {
        final Map<String, Object> out = new HashMap<>();
        settings.forEach((key, value) -> {
            if (names.contains(key)) {
                out.put(key, value);
            }
        });
        return out;
    }
}
