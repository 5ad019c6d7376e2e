package io.npid.schemas.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npid.broker.EmbeddedKafkaBroker;
import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.event.LabelEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaExtensionIT {

    @Test
    void shouldShareOneBrokerAndResolveItsBootstrapServers(
            final EmbeddedKafkaBroker broker, @EmbeddedKafkaExtension.BootstrapServers final String bootstrapServers) {
        assertEquals(broker.bootstrapServers(), bootstrapServers);
        assertEquals(bootstrapServers, EmbeddedKafkaExtension.bootstrapServers());
    }

    @Test
    void shouldServeTransactionsAndConsumerGroups(final EmbeddedKafkaBroker broker) throws Exception {
        final Topics topics = Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix());
        try (Admin admin = broker.createAdmin()) {
            TopicAdmin.ensureTopics(admin, topics);
        }
        final TopicSpec<String, LabelEvent> labels = topics.labels();
        final Map<String, Object> producerConfig = ClientDefaults.layered(
                ClientDefaults.lowLatencyProducer(),
                Map.of(
                        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        topics.prefix() + "txn"));

        // Step 1: commit three labels in one transaction, abort a fourth.
        try (KafkaProducer<String, LabelEvent> producer = new KafkaProducer<>(
                producerConfig,
                labels.keySerde().serializer(),
                labels.valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(labels.name(), "img-" + i, label("img-" + i, i)));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(labels.name(), "img-aborted", label("img-aborted", 9)));
            producer.flush();
            producer.abortTransaction();
        }

        // Step 2: a read_committed consumer group sees exactly the committed three.
        final Map<String, Object> consumerConfig = new HashMap<>(ClientDefaults.layered(
                ClientDefaults.lowLatencyConsumer(),
                Map.of(
                        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        topics.prefix() + "group",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed")));
        final List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, LabelEvent> consumer = new KafkaConsumer<>(
                consumerConfig,
                labels.keySerde().deserializer(),
                labels.valueSerde().deserializer())) {
            consumer.subscribe(List.of(labels.name()));
            final long deadline = System.currentTimeMillis() + 30_000;
            while (ids.size() < 3 && System.currentTimeMillis() < deadline) {
                for (final ConsumerRecord<String, LabelEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(record.value().getId());
                }
            }
            // One more poll: an aborted record would show up now if read_committed were broken.
            consumer.poll(Duration.ofMillis(500))
                    .forEach(record -> ids.add(record.value().getId()));
            consumer.commitSync();
        }
        ids.sort(String::compareTo);
        assertEquals(List.of("img-0", "img-1", "img-2"), ids);
    }

    private static LabelEvent label(final String id, final int label) {
        return LabelEvent.newBuilder()
                .setId(id)
                .setLabel(label)
                .setTimestampMs(1)
                .build();
    }
}
