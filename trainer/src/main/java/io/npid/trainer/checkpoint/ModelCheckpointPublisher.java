package io.npid.trainer.checkpoint;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.event.ModelCheckpoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes the encoder of a checkpoint as a ModelCheckpoint to the compacted {@code checkpoints} topic, keyed by
 * model name, for the embedders.
 *
 * <p>A publication waits for the broker's acknowledgement: checkpoints are rare, and the trainer must know that the
 * version it stamps on features is one the embedders can load. The producer must allow large requests (see
 * {@code ClientDefaults.checkpointProducer()}).
 */
public final class ModelCheckpointPublisher {
    private final Producer<byte[], byte[]> producer;
    private final TopicSpec<String, ModelCheckpoint> topic;
    private final String modelName;
    private final LongSupplier clockMs;
    private final Duration timeout;

    /**
     * Creates a publisher.
     *
     * @param producer a byte-array producer allowing checkpoint-sized requests, owned by the caller
     * @param topic the checkpoints topic
     * @param modelName the record key and ModelCheckpoint.modelName
     * @param clockMs the clock of ModelCheckpoint.timestampMs
     * @param timeout how long to wait for the acknowledgement
     */
    public ModelCheckpointPublisher(
            final Producer<byte[], byte[]> producer,
            final TopicSpec<String, ModelCheckpoint> topic,
            final String modelName,
            final LongSupplier clockMs,
            final Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.modelName = modelName;
        this.clockMs = clockMs;
        this.timeout = timeout;
    }

    /**
     * Publishes one model version and waits for the acknowledgement.
     *
     * @param version the model version
     * @param backbone the backbone name
     * @param step the learner step of the parameters
     * @param config what an embedder needs to rebuild the encoder
     * @param parameters the encoder's parameter file
     * @return the record as published
     * @throws KafkaException when the broker does not acknowledge it in time
     */
    public ModelCheckpoint publish(
            final long version,
            final String backbone,
            final long step,
            final Map<String, String> config,
            final byte[] parameters) {
        return publish(version, backbone, step, config, Map.of(), parameters);
    }

    /**
     * Publishes one model version with the trainer's settings and waits for the acknowledgement.
     *
     * @param version the model version
     * @param backbone the backbone name
     * @param step the learner step of the parameters
     * @param config what an embedder needs to rebuild the encoder
     * @param settings the trainer's effective settings, secrets already hidden: embedders and indexers check the
     *     settings they share against them (npid.low.dim, ...)
     * @param parameters the encoder's parameter file
     * @return the record as published
     * @throws KafkaException when the broker does not acknowledge it in time
     */
    public ModelCheckpoint publish(
            final long version,
            final String backbone,
            final long step,
            final Map<String, String> config,
            final Map<String, String> settings,
            final byte[] parameters) {
        final ModelCheckpoint record = ModelCheckpoint.newBuilder()
                .setModelName(modelName)
                .setVersion(version)
                .setBackbone(backbone)
                .setStep(step)
                .setConfig(Map.copyOf(config))
                .setSettings(Map.copyOf(settings))
                .setParameters(ByteBuffer.wrap(parameters))
                .setTimestampMs(clockMs.getAsLong())
                .build();
        final byte[] key = topic.keySerde().serializer().serialize(topic.name(), modelName);
        final byte[] value = topic.valueSerde().serializer().serialize(topic.name(), record);
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while publishing model version " + version, e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new KafkaException(
                    "Could not publish model version " + version + " (" + value.length + " bytes) to " + topic.name()
                            + ": " + e,
                    e);
        }
        return record;
    }
}
