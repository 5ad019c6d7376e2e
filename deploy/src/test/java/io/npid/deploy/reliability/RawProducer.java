package io.npid.deploy.reliability;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A producer of raw key and value bytes, as a careless or hostile client would send them: nothing is checked here.
 *
 * <p>Requests up to 16 MiB, so a record over the pipeline's own 8 MiB image limit can reach a topic that allows it.
 */
final class RawProducer implements AutoCloseable {
    /** Largest request this producer sends. */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private final KafkaProducer<byte[], byte[]> producer;

    /**
     * Opens the producer.
     *
     * @param clientSettings bootstrap servers and security settings
     */
    RawProducer(final Map<String, ?> clientSettings) {
        final Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * MAX_REQUEST_BYTES);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "raw-test-producer");
        this.producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends one record without waiting.
     *
     * @param topic the topic
     * @param key the key bytes, or null
     * @param value the value bytes, or null
     * @return the pending send
     */
    Future<RecordMetadata> sendAsync(final String topic, final byte[] key, final byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    /**
     * Sends one record and waits until the broker has it.
     *
     * @param topic the topic
     * @param key the key bytes, or null
     * @param value the value bytes, or null
     * @return where it was written
     * @throws ExecutionException when the broker refused it (the cause says why)
     */
    RecordMetadata send(final String topic, final byte[] key, final byte[] value) throws ExecutionException {
        try {
            return sendAsync(topic, key, value).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no acknowledgement within 60 s for a record to " + topic, e);
        }
    }

    /** Waits until every record sent so far is acknowledged. */
    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
