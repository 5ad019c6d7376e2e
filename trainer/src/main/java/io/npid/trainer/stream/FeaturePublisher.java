package io.npid.trainer.stream;

import io.npid.schemas.ClassName;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.serde.VectorCodec;
import io.npid.store.FeatureStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes bank rows as FeatureEvents (keyed by image id) to the compacted {@code features} topic.
 *
 * <p>The id and the class name of a row are read from the feature store at publication time, so a label that
 * arrived after the row's last update still goes out with the row's next publication. Each event carries the
 * class name, and the int label too when the name is a plain decimal int (for readers from before class names).
 * Sends are asynchronous; a failed send surfaces at the next {@link #flush()} or {@link #checkFailures()}. Used by
 * one thread (the training thread, or an ingest thread with its own publisher on the shared producer).
 */
public final class FeaturePublisher {
    private final Producer<byte[], byte[]> producer;
    private final TopicSpec<String, FeatureEvent> topic;
    private final FeatureStore store;
    private final LongSupplier clockMs;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long published;

    /**
     * Creates a publisher.
     *
     * @param producer a byte-array producer, owned by the caller
     * @param topic the features topic
     * @param store the feature store the rows live in
     * @param clockMs the clock of FeatureEvent.timestampMs
     */
    public FeaturePublisher(
            final Producer<byte[], byte[]> producer,
            final TopicSpec<String, FeatureEvent> topic,
            final FeatureStore store,
            final LongSupplier clockMs) {
        this.producer = producer;
        this.topic = topic;
        this.store = store;
        this.clockMs = clockMs;
    }

    /**
     * Publishes pending rows.
     *
     * @param rows rows with their latest values
     */
    public void publish(final List<PendingFeatures.Row> rows) {
        for (final PendingFeatures.Row row : rows) {
            send(
                    store.idOf(row.row()),
                    row.vector(),
                    store.labelOf(row.row()).orElse(null),
                    row.modelVersion(),
                    row.step());
        }
        checkFailures();
    }

    /**
     * Publishes every row of the store, e.g. at start so that values pending at a crash reach the topic.
     *
     * @param step the step to stamp on the events
     * @param modelVersion the model version to stamp on the events
     * @return the number of rows published
     */
    public int publishAll(final long step, final long modelVersion) {
        final int[] count = {0};
        store.forEachRow((id, row, className, vector) -> {
            if (vector != null) {
                send(id, vector, className, modelVersion, step);
                count[0]++;
            }
        });
        checkFailures();
        return count[0];
    }

    /**
     * Waits until every event sent so far is acknowledged.
     *
     * @throws KafkaException when a send failed
     */
    public void flush() {
        producer.flush();
        checkFailures();
    }

    /**
     * Throws if an earlier asynchronous send failed.
     *
     * @throws KafkaException naming the topic and the error
     */
    public void checkFailures() {
        final Exception error = failure.getAndSet(null);
        if (error != null) {
            throw new KafkaException("Could not publish features to " + topic.name() + ": " + error, error);
        }
    }

    /**
     * Returns how many FeatureEvents were sent.
     *
     * @return the count since this publisher was created
     */
    public long published() {
        return published;
    }

    private void send(
            final String id, final float[] vector, final String className, final long modelVersion, final long step) {
        if (id == null) {
            throw new IllegalStateException("A bank row without an image id was offered for publication; the"
                    + " learner's rows and the store's rows disagree");
        }
        final FeatureEvent event = FeatureEvent.newBuilder()
                .setId(id)
                .setVector(VectorCodec.encode(vector))
                .setClassName(className)
                // The int label is for readers from before class names: set only where the name is a number.
                .setLabel(ClassName.numberOf(className))
                .setModelVersion(modelVersion)
                .setStep(step)
                .setTimestampMs(clockMs.getAsLong())
                .build();
        final byte[] key = topic.keySerde().serializer().serialize(topic.name(), id);
        final byte[] value = topic.valueSerde().serializer().serialize(topic.name(), event);
        producer.send(new ProducerRecord<>(topic.name(), key, value), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
        published++;
    }
}
