package io.npid.deploy.client;

import io.npid.deploy.cli.KafkaClientConfig;
import io.npid.deploy.cli.Progress;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.trainer.data.LabelledImages;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends a data set to the images topic (unlabelled) and, when asked, its labels to the labels topic.
 *
 * <p>The producer is idempotent with {@code acks=all}, batches and compresses (a bulk load, not the query path),
 * and every record is counted only when the broker acknowledged it. The first failed send stops the ingest.
 */
public final class DatasetIngestor implements AutoCloseable {
    private final Topics topics;
    private final Producer<String, ImageEvent> images;
    private final Producer<String, LabelEvent> labels;

    /**
     * Opens the producers.
     *
     * @param config client settings
     * @param topics the topic registry
     */
    public DatasetIngestor(final KafkaClientConfig config, final Topics topics) {
        this.topics = topics;
        final Map<String, Object> settings = config.with(Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 10,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
            // one request in flight: a retried batch can never be overtaken by a later one (seen on fresh topics)
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
            ProducerConfig.CLIENT_ID_CONFIG, "npid-ingest"));
        this.images = new KafkaProducer<>(settings, topics.images().keySerde().serializer(),
            topics.images().valueSerde().serializer());
        this.labels = new KafkaProducer<>(settings, topics.labels().keySerde().serializer(),
            topics.labels().valueSerde().serializer());
    }

    /**
     * Sends the first {@code plan.limit()} images (and labels) and waits for every acknowledgement.
     *
     * @param data the data set
     * @param plan ids, encoding, labels, limit
     * @param progress counts acknowledged images
     * @return what was acknowledged
     * @throws KafkaException when a send fails; nothing after it is counted
     */
    public IngestResult ingest(final LabelledImages data, final IngestPlan plan, final Progress progress) {
        final int n = Math.min(plan.limit(), data.size());
        final AtomicLong imagesAcked = new AtomicLong();
        final AtomicLong labelsAcked = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final long start = System.nanoTime();
        for (int i = 0; i < n && failure.get() == null; i++) {
            final String id = plan.id(i);
            final long now = System.currentTimeMillis();
            final ImageEvent event = ImageEvent.newBuilder().setId(id)
                .setImage(ImageEvents.of(data.images().get(i), plan.encoding())).setLabel(null)
                .setSource(plan.source()).setTimestampMs(now).build();
            images.send(new ProducerRecord<>(topics.images().name(), id, event), (meta, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    imagesAcked.incrementAndGet();
                    progress.advance(1);
                }
            });
            if (plan.labels()) {
                final LabelEvent label = LabelEvent.newBuilder().setId(id).setLabel(data.labels()[i])
                    .setClassName(data.classNames()[data.labels()[i]]).setTimestampMs(now).build();
                labels.send(new ProducerRecord<>(topics.labels().name(), id, label), (meta, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        labelsAcked.incrementAndGet();
                    }
                });
            }
        }
        images.flush();
        labels.flush();
        if (failure.get() != null) {
            throw new KafkaException("ingest stopped after " + imagesAcked.get() + " acknowledged images: "
                + failure.get().getMessage(), failure.get());
        }
        return new IngestResult(imagesAcked.get(), labelsAcked.get(), (System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        images.close();
        labels.close();
    }
}
