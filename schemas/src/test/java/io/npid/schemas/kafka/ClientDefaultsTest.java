package io.npid.schemas.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ClientDefaultsTest {

    private static final Map<String, Object> BASE = Map.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
            StreamsConfig.APPLICATION_ID_CONFIG, "t",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);

    @Test
    void shouldUseOnlyKeysTheClientsKnow() {
        assertTrue(ProducerConfig.configNames()
                .containsAll(ClientDefaults.checkpointProducer().keySet()));
        assertTrue(ConsumerConfig.configNames()
                .containsAll(ClientDefaults.checkpointConsumer().keySet()));
        for (final String key : ClientDefaults.lowLatencyStreams().keySet()) {
            assertTrue(isStreamsKey(key), "unknown Streams key " + key);
        }
    }

    @Test
    void shouldBeAcceptedByTheClientConfigClasses() {
        final ProducerConfig producer =
                new ProducerConfig(ClientDefaults.layered(ClientDefaults.checkpointProducer(), BASE));
        assertEquals(0L, producer.getLong(ProducerConfig.LINGER_MS_CONFIG));
        final int maxRequest = producer.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        assertTrue(maxRequest > Topics.CHECKPOINT_MAX_MESSAGE_BYTES);
        assertTrue(producer.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG) >= maxRequest, "buffer holds a checkpoint");

        final ConsumerConfig consumer =
                new ConsumerConfig(ClientDefaults.layered(ClientDefaults.checkpointConsumer(), BASE));
        assertTrue(
                consumer.getInt(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG) > Topics.CHECKPOINT_MAX_MESSAGE_BYTES);

        final StreamsConfig streams =
                new StreamsConfig(ClientDefaults.layered(ClientDefaults.lowLatencyStreams(), BASE));
        assertEquals(0L, streams.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
        assertEquals(0, streams.getProducerConfigs("c").get(ProducerConfig.LINGER_MS_CONFIG));
    }

    @Test
    void shouldLetAProducerSendTheLargestImageTheTopicsAccept() {
        final Topics topics = Topics.defaults().withImageMaxBytes(40 * 1024 * 1024);
        final ProducerConfig producer = new ProducerConfig(ClientDefaults.layered(
                ClientDefaults.lowLatencyProducer(), ClientDefaults.imageProducerLimits(topics), BASE));
        assertEquals(topics.imageMaxMessageBytes(), producer.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        assertEquals(4L * topics.imageMaxMessageBytes(), producer.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG));
        assertEquals(
                32L * 1024 * 1024,
                ClientDefaults.imageProducerLimits(Topics.defaults().withImageMaxBytes(1 << 20))
                        .get(ProducerConfig.BUFFER_MEMORY_CONFIG),
                "never below Kafka's default buffer");
    }

    @Test
    void shouldLetLaterLayersWin() {
        final Map<String, Object> config = ClientDefaults.layered(
                ClientDefaults.lowLatencyProducer(), Map.of(ProducerConfig.LINGER_MS_CONFIG, 20));
        assertEquals(20, config.get(ProducerConfig.LINGER_MS_CONFIG));
        final Properties properties = ClientDefaults.toProperties(config);
        assertEquals("all", properties.get(ProducerConfig.ACKS_CONFIG));
    }

    private static boolean isStreamsKey(final String key) {
        if (StreamsConfig.configDef().names().contains(key)) {
            return true;
        }
        if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
            return ProducerConfig.configNames().contains(key.substring(StreamsConfig.PRODUCER_PREFIX.length()));
        }
        return key.startsWith(StreamsConfig.CONSUMER_PREFIX)
                && ConsumerConfig.configNames().contains(key.substring(StreamsConfig.CONSUMER_PREFIX.length()));
    }
}
