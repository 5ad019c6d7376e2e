package io.npid.deploy.client;

import io.npid.deploy.process.KafkaClientConfig;
import io.npid.deploy.process.Progress;
import io.npid.schemas.Topics;
import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.kafka.ClientDefaults;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Sends images to the images topic (unlabelled) and, when asked, their classes to the labels topic.
 *
 * <p>The producer is idempotent with {@code acks=all}, batches and compresses (a bulk load, not the query path),
 * and every record is counted only when the broker acknowledged it. Its request size fits the largest image the
 * topics accept ({@link ClientDefaults#imageProducerLimits}), and a file larger than {@code npid.image.max.bytes}
 * is refused before it is read. Memory stays bounded: the producer's buffer holds what is in flight, and a full
 * buffer makes {@link Run#send} wait.
 */
public final class DatasetIngestor implements AutoCloseable {
    private final Topics topics;
    private final Producer<String, ImageEvent> images;
    private final Producer<String, LabelEvent> labels;

    /**
     * Opens the producers.
     *
     * @param config client settings
     * @param topics the topic registry (its image limit sizes the requests)
     */
    public DatasetIngestor(final KafkaClientConfig config, final Topics topics) {
        this.topics = topics;
        final Map<String, Object> settings = config.with(ClientDefaults.imageProducerLimits(topics));
        settings.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                10,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4",
                // one request in flight: a retried batch can never be overtaken by a later one (seen on fresh topics)
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                1,
                ProducerConfig.CLIENT_ID_CONFIG,
                "npid-ingest"));
        this.images = new KafkaProducer<>(
                settings,
                topics.images().keySerde().serializer(),
                topics.images().valueSerde().serializer());
        this.labels = new KafkaProducer<>(
                settings,
                topics.labels().keySerde().serializer(),
                topics.labels().valueSerde().serializer());
    }

    /**
     * Starts sending images one at a time.
     *
     * @param withLabels whether to send the class of each labelled image on the labels topic
     * @param source the {@code source} of every ImageEvent (a data set's name), or null to use each image's
     *     location (its file)
     * @param progress counts acknowledged images
     * @param onSkip told of every image not sent, with the reason; called on the caller's thread or the
     *     producer's
     * @return the run; finish it with {@link Run#finish()}
     */
    public Run start(
            final boolean withLabels,
            final String source,
            final Progress progress,
            final Consumer<SkippedImageException> onSkip) {
        return new Run(withLabels, source, progress, onSkip);
    }

    /** One ingest: send images, then {@link #finish()} waits for their acknowledgements. */
    public final class Run {
        private final boolean withLabels;
        private final String source;
        private final Progress progress;
        private final Consumer<SkippedImageException> onSkip;
        private final long startNanos = System.nanoTime();
        private final AtomicLong imagesAcked = new AtomicLong();
        private final AtomicLong labelsAcked = new AtomicLong();
        private final Map<SkipReason, AtomicLong> skipped = new EnumMap<>(SkipReason.class);
        private final AtomicReference<KafkaException> failure = new AtomicReference<>();

        private Run(
                final boolean withLabels,
                final String source,
                final Progress progress,
                final Consumer<SkippedImageException> onSkip) {
            this.withLabels = withLabels;
            this.source = source;
            this.progress = progress;
            this.onSkip = onSkip;
            for (SkipReason reason : SkipReason.values()) {
                skipped.put(reason, new AtomicLong());
            }
        }

        /**
         * Reads an image and sends it (and its class, when labels are sent); an image that cannot be sent is
         * counted as skipped and reported, and the run goes on.
         *
         * @param input the image
         * @throws KafkaException when an earlier send failed for a reason other than the record (e.g. the
         *     cluster is unreachable); the message names the image whose send failed
         */
        public void send(final InputImage input) {
            send(input, true);
        }

        /**
         * Reads an image and sends it, and its class only when {@code withLabel} is true and labels are sent: a
         * stream where only part of the images are labelled (the rest stay unlabelled rows that do not vote).
         *
         * @param input the image
         * @param withLabel whether to send its class (when the run sends labels and the image has one)
         * @throws KafkaException when an earlier send failed for a reason other than the record
         */
        public void send(final InputImage input, final boolean withLabel) {
            throwIfFailed();
            final Image image;
            try {
                image = input.read(topics.imageMaxBytes());
            } catch (SkippedImageException e) {
                skip(e);
                return;
            }
            final String id = input.id();
            final long now = System.currentTimeMillis();
            final ImageEvent event = ImageEvent.newBuilder()
                    .setId(id)
                    .setImage(image)
                    .setLabel(null)
                    .setClassName(null)
                    .setSource(source != null ? source : input.location())
                    .setTimestampMs(now)
                    .build();
            final boolean sendLabel = withLabel && withLabels && input.labelled();
            images.send(new ProducerRecord<>(topics.images().name(), id, event), (meta, error) -> {
                if (error == null) {
                    imagesAcked.incrementAndGet();
                    progress.advance(1);
                } else if (error instanceof RecordTooLargeException) {
                    // this record only: the topic is smaller than npid needs; the rest may fit
                    skip(new SkippedImageException(
                            SkipReason.REFUSED,
                            input.location(),
                            error.getMessage() + "; 'npid topics --verify-only' checks the topics' max.message.bytes"));
                } else {
                    failure.compareAndSet(
                            null,
                            new KafkaException(
                                    "sending " + input.location() + " (id " + id + ") failed: " + error.getMessage(),
                                    error));
                }
            });
            if (sendLabel) {
                final LabelEvent label = LabelEvent.newBuilder()
                        .setId(id)
                        .setLabel(input.label())
                        .setClassName(input.className())
                        .setTimestampMs(now)
                        .build();
                labels.send(new ProducerRecord<>(topics.labels().name(), id, label), (meta, error) -> {
                    if (error == null) {
                        labelsAcked.incrementAndGet();
                    } else {
                        failure.compareAndSet(
                                null,
                                new KafkaException(
                                        "sending the label of " + input.location() + " (id " + id + ") failed: "
                                                + error.getMessage(),
                                        error));
                    }
                });
            }
        }

        /**
         * Counts and reports an image that is not sent (e.g. a file the walk found unreadable).
         *
         * @param skip what and why
         */
        public void skip(final SkippedImageException skip) {
            skipped.get(skip.reason()).incrementAndGet();
            onSkip.accept(skip);
        }

        /**
         * Waits for every acknowledgement.
         *
         * @return what was acknowledged and what was skipped
         * @throws KafkaException when a send failed for a reason other than the record, naming the image
         */
        public IngestResult finish() {
            images.flush();
            labels.flush();
            throwIfFailed();
            final Map<SkipReason, Long> counts = new EnumMap<>(SkipReason.class);
            skipped.forEach((reason, count) -> {
                if (count.get() > 0) {
                    counts.put(reason, count.get());
                }
            });
            return new IngestResult(
                    imagesAcked.get(), labelsAcked.get(), (System.nanoTime() - startNanos) / 1e9, counts);
        }

        private void throwIfFailed() {
            final KafkaException e = failure.get();
            if (e != null) {
                throw new KafkaException(
                        e.getMessage() + " (" + imagesAcked.get() + " images acknowledged " + "before)", e.getCause());
            }
        }
    }

    @Override
    public void close() {
        images.close();
        labels.close();
    }
}
