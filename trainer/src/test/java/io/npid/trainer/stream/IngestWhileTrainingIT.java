package io.npid.trainer.stream;

import static io.npid.trainer.stream.StreamFixtures.imageEvent;
import static io.npid.trainer.stream.StreamFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.schemas.Topics;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * New images are stored and their features published while the training thread is busy: here it is held inside a
 * step callback, so nothing of ingest may wait for it; once let go, it takes the new rows over and steps on.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class IngestWhileTrainingIT {
    private static final LabelledImages DATA = Datasets.synthetic(80, 11);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    /** Holds the training thread in its first step callback after {@link #hold} was called. */
    private static final class Holder implements TrainerListener {
        final AtomicLong lastStep = new AtomicLong(-1);
        final AtomicLong heldAt = new AtomicLong(-1);
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean hold;

        @Override
        public void onStep(final long step, final long epoch, final float loss, final int rows) {
            lastStep.set(step);
            if (hold && heldAt.compareAndSet(-1, step)) {
                held.countDown();
                try {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> images(final Topics topics, final int from, final int to) {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(new ProducerRecord<>(
                    topics.images().name(),
                    key("img-" + i),
                    imageEvent("img-" + i, DATA.images().get(i), DATA.labels()[i])));
        }
        return records;
    }

    @Test
    void shouldStoreAndPublishNewImagesWhileTheTrainingThreadIsBusy(@BootstrapServers final String bootstrap)
            throws Exception {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        final Topics topics = Topics.withPrefix(prefix).withPartitions(2);
        final Map<String, Object> settings = StreamFixtures.trainerSettings(bootstrap, prefix, dataDir);
        final Holder holder = new Holder();
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), holder);
                KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            StreamFixtures.sendAll(producer, images(topics, 0, 60));
            await(() -> holder.lastStep.get() >= 3, "training steps");

            // Hold the training thread inside a step, then send 20 new images.
            holder.hold = true;
            assertTrue(holder.held.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the training thread was held");
            StreamFixtures.sendAll(producer, images(topics, 60, 80));
            final Set<String> published = new HashSet<>();
            final int[] seen = {0};
            StreamFixtures.readUntil(
                    bootstrap,
                    topics.features().name(),
                    records -> {
                        for (final ConsumerRecord<byte[], byte[]> r : records.subList(seen[0], records.size())) {
                            final String id = new String(r.key(), StandardCharsets.UTF_8);
                            if (id.compareTo("img-60") >= 0 && id.length() == 6) {
                                published.add(id);
                            }
                        }
                        seen[0] = records.size();
                        return published.size() == 20;
                    },
                    WAIT);
            assertEquals(20, published.size(), "new images published while the training thread was held: " + published);
            assertEquals(holder.heldAt.get(), holder.lastStep.get(), "no step ran meanwhile");
            final List<ConsumerRecord<byte[], byte[]>> features =
                    StreamFixtures.readUntil(bootstrap, topics.features().name(), r -> r.size() >= seen[0], WAIT);
            for (final ConsumerRecord<byte[], byte[]> r : features) {
                final FeatureEvent event = EventSerde.of(FeatureEvent.class).decode(r.value());
                if (event.getId().startsWith("img-6") || event.getId().startsWith("img-7")) {
                    assertTrue(event.getStep() <= holder.heldAt.get(), "embedded by weights of a step taken");
                }
            }

            // Let go: the training thread takes the 80 rows over and steps on.
            holder.release.countDown();
            final long heldAt = holder.heldAt.get();
            await(
                    () -> holder.lastStep.get() >= heldAt + 3
                            && trainer.status().rows() == 80
                            && trainer.status().imagesIngested() == 80,
                    "steps after the hold and 80 rows, got " + trainer.status());
        } finally {
            holder.release.countDown();
        }
    }

    @Test
    void shouldIngestEachIdOnceWithTwoIngestThreads(@BootstrapServers final String bootstrap) throws Exception {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        final Topics topics = Topics.withPrefix(prefix).withPartitions(2);
        final Map<String, Object> settings = StreamFixtures.trainerSettings(bootstrap, prefix, dataDir);
        settings.put(StreamingTrainerConfig.INGEST_THREADS_CONFIG, "2");
        final Holder steps = new Holder();
        final List<ProducerRecord<byte[], byte[]>> records = images(topics, 0, 80);
        records.addAll(images(topics, 10, 30));
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), steps);
                KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            StreamFixtures.sendAll(producer, records);
            await(
                    () -> trainer.status().rows() == 80
                            && trainer.status().recordsConsumed() == 100
                            && steps.lastStep.get() >= 3,
                    "80 rows, 100 records and steps, got " + trainer.status());
        }
        final Set<String> published = new HashSet<>();
        StreamFixtures.readUntil(
                bootstrap,
                topics.features().name(),
                r -> {
                    r.forEach(c -> published.add(new String(c.key(), StandardCharsets.UTF_8)));
                    return published.size() == 80;
                },
                WAIT);
        assertEquals(80, published.size());
        try (io.npid.store.FeatureStore store = io.npid.store.FeatureStore.open(
                dataDir.resolve("store"), new StreamingTrainerConfig(settings).storeOptions())) {
            assertEquals(80, store.size());
            assertEquals(
                    records.size(),
                    store.offsets().values().stream().mapToLong(Long::longValue).sum());
        }
    }

    private static void await(final java.util.function.BooleanSupplier condition, final String what)
            throws InterruptedException {
        final long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Never reached: " + what);
            }
            Thread.sleep(20);
        }
    }
}
