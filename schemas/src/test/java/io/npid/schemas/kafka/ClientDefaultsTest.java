package io.npid.schemas.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ClientDefaultsTest {

    @Test
    void shouldUseOnlyKeysTheClientsKnow() {
        assertTrue(ProducerConfig.configNames().containsAll(ClientDefaults.checkpointProducer().keySet()));
        assertTrue(ConsumerConfig.configNames().containsAll(ClientDefaults.checkpointConsumer().keySet()));
        for (final String key : ClientDefaults.lowLatencyStreams().keySet()) {
            final boolean known = StreamsConfig.configDef().names().contains(key)
                    || (key.startsWith(StreamsConfig.PRODUCER_PREFIX)
                        && ProducerConfig.configNames().contains(key.substring(StreamsConfig.PRODUCER_PREFIX.length())))
                    || (key.startsWith(StreamsConfig.CONSUMER_PREFIX)
                        && ConsumerConfig.configNames().contains(key.substring(StreamsConfig.CONSUMER_PREFIX.length())));
            assertTrue(known, "unknown Streams key " + key);
        }
    }

    @Test
    void shouldBeAcceptedByTheClientConfigClasses() {
        final Map<String, Object> base = Map.of("bootstrap.servers", "127.0.0.1:9", "application.id", "t",
                "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
                "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        final ProducerConfig producer = new ProducerConfig(ClientDefaults.layered(ClientDefaults.checkpointProducer(), base));
        assertEquals(0L, producer.getLong(ProducerConfig.LINGER_MS_CONFIG));
        assertTrue(producer.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG) > Topics.CHECKPOINT_MAX_MESSAGE_BYTES);
        assertTrue(producer.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG)
                >= producer.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), "buffer holds one whole checkpoint");
        final ConsumerConfig consumer = new ConsumerConfig(ClientDefaults.layered(ClientDefaults.checkpointConsumer(), base));
        assertTrue(consumer.getInt(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG) > Topics.CHECKPOINT_MAX_MESSAGE_BYTES);
        final StreamsConfig streams = new StreamsConfig(ClientDefaults.layered(ClientDefaults.lowLatencyStreams(), base));
        assertEquals(0L, streams.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
        assertEquals(0, streams.getProducerConfigs("c").get(ProducerConfig.LINGER_MS_CONFIG));
    }

    @Test
    void shouldLetLaterLayersWin() {
        final Map<String, Object> config = ClientDefaults.layered(ClientDefaults.lowLatencyProducer(),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 20));
        assertEquals(20, config.get(ProducerConfig.LINGER_MS_CONFIG));
        final Properties properties = ClientDefaults.toProperties(config);
        assertEquals("all", properties.get(ProducerConfig.ACKS_CONFIG));
    }
}
