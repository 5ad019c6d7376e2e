package io.npid.schemas.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaBroker;
import io.npid.schemas.TestEvents;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.ImageEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"npid\" password=\"npid-secret\"";

    @TempDir
    Path logDir;

    @Test
    void shouldKeepTopicsAndRecordsAcrossRestartOnTheSameLogDir() throws Exception {
        final Topics topics = Topics.withPrefix("restart.");
        final ImageEvent image = TestEvents.image("img-42", 42);
        final FeatureEvent feature = TestEvents.feature("img-42", 43);
        final String clusterId;

        // Step 1: start on a fresh directory, create every topic, produce one image and one feature.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir)) {
            clusterId = broker.clusterId();
            System.out.printf(
                    "broker start (fresh dir): %d ms%n", broker.startupTime().toMillis());
            try (Admin admin = broker.createAdmin()) {
                final TopicAdmin.Report report = TopicAdmin.ensureTopics(admin, topics);
                assertEquals(topics.all().size(), report.created().size(), "all topics created: " + report);
                final TopicAdmin.Report again = TopicAdmin.ensureTopics(admin, topics);
                assertEquals(List.of(), again.created(), "second ensure creates nothing");
                assertEquals(topics.all().size(), again.verified().size(), "second ensure verifies all: " + again);
            }
            final Map<String, Object> client =
                    Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            produce(client, topics.images(), "img-42", image);
            produce(client, topics.features(), "img-42", feature);
            assertEquals(List.of(image), consumeAll(client, topics.images(), 1));
            assertEquals(List.of(feature), consumeAll(client, topics.features(), 1));
        }

        // Step 2: restart on the same directory, now also with a SASL_PLAINTEXT listener, and read them back.
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .logDir(logDir)
                .listener("SASL_PLAINTEXT", SecurityProtocol.SASL_PLAINTEXT)
                .brokerConfig("sasl.enabled.mechanisms", "PLAIN")
                .brokerConfig(
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS + " user_npid=\"npid-secret\";")
                .start();
        try {
            System.out.printf(
                    "broker restart (same dir): %d ms%n", broker.startupTime().toMillis());
            assertEquals(clusterId, broker.clusterId(), "cluster id survives the restart");
            final Map<String, Object> sasl = Map.of(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers("SASL_PLAINTEXT"),
                    CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                    SecurityProtocol.SASL_PLAINTEXT.name,
                    SaslConfigs.SASL_MECHANISM,
                    "PLAIN",
                    SaslConfigs.SASL_JAAS_CONFIG,
                    JAAS + ";");
            assertEquals(List.of(image), consumeAll(sasl, topics.images(), 1));
            assertEquals(List.of(feature), consumeAll(sasl, topics.features(), 1));
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                final TopicAdmin.Report report = TopicAdmin.ensureTopics(admin, topics);
                assertEquals(List.of(), report.created(), "topics survived the restart");
            }
        } finally {
            broker.close();
        }
        System.out.printf("broker stop: %d ms%n", broker.shutdownTime().toMillis());
        assertTrue(broker.shutdownTime().toMillis() >= 0, "shutdown time recorded");
    }

    static <V> void produce(
            final Map<String, Object> client, final TopicSpec<String, V> topic, final String key, final V value)
            throws Exception {
        final Map<String, Object> config = ClientDefaults.layered(ClientDefaults.lowLatencyProducer(), client);
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                config, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

    static <V> List<V> consumeAll(
            final Map<String, Object> client, final TopicSpec<String, V> topic, final int expected) {
        final Map<String, Object> config =
                new HashMap<>(ClientDefaults.layered(ClientDefaults.lowLatencyConsumer(), client));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                config, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < expected && System.currentTimeMillis() < deadline) {
                for (final ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
