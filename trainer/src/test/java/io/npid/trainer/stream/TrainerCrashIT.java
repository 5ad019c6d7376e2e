package io.npid.trainer.stream;

import static io.npid.trainer.stream.StreamFixtures.imageEvent;
import static io.npid.trainer.stream.StreamFixtures.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.schemas.Topics;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.VectorCodec;
import io.npid.store.FeatureStore;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a trainer running in a child JVM (SIGKILL via destroyForcibly) during ingest and during training, restarts
 * it, and checks that no image is lost or counted twice, that training resumes from the latest checkpoint, and that
 * the features topic converges to the bank.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerCrashIT {
    private static final LabelledImages DATA = Datasets.synthetic(300, 3);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    private List<ProducerRecord<byte[], byte[]>> images(final Topics topics, final int from, final int to) {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(new ProducerRecord<>(
                    topics.images().name(),
                    key("img-" + i),
                    imageEvent("img-" + i, DATA.images().get(i), DATA.labels()[i])));
        }
        return records;
    }

    private long latestStep() {
        return new CheckpointDirectory(dataDir.resolve("checkpoints"), 2)
                .latest()
                .map(c -> c.meta().step())
                .orElse(0L);
    }

    @Test
    void shouldLoseNothingCountNothingTwiceAndResumeTrainingAcrossKills(@BootstrapServers final String bootstrap)
            throws Exception {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        final Topics topics = Topics.withPrefix(prefix).withPartitions(2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicAdmin.ensureTopics(admin, topics);
        }
        int sent = 0;
        final List<Long> startSteps = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            // Kill 1, during ingest: 200 images and 20 re-sent ids arrive while the trainer starts.
            TrainerChild child = new TrainerChild(bootstrap, prefix, dataDir);
            final List<ProducerRecord<byte[], byte[]>> wave1 = images(topics, 0, 200);
            wave1.addAll(images(topics, 50, 70));
            StreamFixtures.sendAll(producer, wave1);
            sent += wave1.size();
            startSteps.add(child.awaitStarted().step());
            child.await("first rows", s -> s.rows() > 0);
            final List<String> kills = new ArrayList<>();
            kills.add(child.kill());

            // Kill 2, during training: it resumes from the checkpoint and trains a few steps.
            long expected = latestStep();
            child = new TrainerChild(bootstrap, prefix, dataDir);
            startSteps.add(child.awaitStarted().step());
            assertEquals(expected, startSteps.get(1), "restart 1 resumes at the checkpoint's step");
            child.await("a few steps", s -> s.step() >= startSteps.get(1) + 5);
            kills.add(child.kill());

            // Kill 3, at a random moment while more images (and re-sent ones) arrive.
            final List<ProducerRecord<byte[], byte[]>> wave2 = images(topics, 200, 300);
            wave2.addAll(images(topics, 0, 30));
            StreamFixtures.sendAll(producer, wave2);
            sent += wave2.size();
            expected = latestStep();
            assertTrue(expected > 0, "a checkpoint with training was written before kill 2");
            child = new TrainerChild(bootstrap, prefix, dataDir);
            startSteps.add(child.awaitStarted().step());
            assertEquals(expected, startSteps.get(2), "restart 2 resumes at the checkpoint's step");
            Thread.sleep(new java.util.Random(7).nextInt(1500));
            kills.add(child.kill());

            // Last run: it catches up, trains, and stops cleanly.
            expected = latestStep();
            child = new TrainerChild(bootstrap, prefix, dataDir);
            startSteps.add(child.awaitStarted().step());
            assertEquals(expected, startSteps.get(3), "restart 3 resumes at the checkpoint's step");
            final long resumed = startSteps.get(3);
            child.await("every image and more steps", s -> s.rows() == 300 && s.step() >= resumed + 3);
            child.stop();
            System.out.println("TrainerCrashIT: killed at " + kills + "; start steps " + startSteps + "; " + sent
                    + " records sent, 300 distinct ids");
        }
        for (int i = 1; i < startSteps.size(); i++) {
            assertTrue(startSteps.get(i) >= startSteps.get(i - 1), "step never goes back: " + startSteps);
        }
        assertTrue(startSteps.get(3) > 0, "step does not restart from zero: " + startSteps);

        // The bank holds exactly one row per distinct id, and the offsets cover every record exactly once.
        final Map<String, float[]> bank = new HashMap<>();
        try (FeatureStore store = FeatureStore.open(
                dataDir.resolve("store"),
                new StreamingTrainerConfig(StreamFixtures.trainerSettings(bootstrap, prefix, dataDir))
                        .storeOptions())) {
            assertEquals(300, store.size(), "rows == distinct ids acknowledged");
            for (int i = 0; i < 300; i++) {
                assertTrue(store.rowOf("img-" + i) >= 0, "img-" + i + " is stored");
            }
            assertEquals(
                    sent,
                    store.offsets().values().stream().mapToLong(Long::longValue).sum());
            store.forEachRow((id, row, label, vector) -> bank.put(id, vector));
        }

        // The features topic converged to the bank: the latest event of every id is its bank row.
        final Map<String, float[]> published = new HashMap<>();
        final int[] seen = {0};
        StreamFixtures.readUntil(
                bootstrap,
                topics.features().name(),
                records -> {
                    records.subList(seen[0], records.size())
                            .forEach(r -> published.put(
                                    new String(r.key(), StandardCharsets.UTF_8),
                                    VectorCodec.decode(EventSerde.of(FeatureEvent.class)
                                            .decode(r.value())
                                            .getVector())));
                    seen[0] = records.size();
                    return published.size() == 300
                            && bank.entrySet().stream()
                                    .allMatch(e -> java.util.Arrays.equals(e.getValue(), published.get(e.getKey())));
                },
                Duration.ofSeconds(30));
        for (final Map.Entry<String, float[]> row : bank.entrySet()) {
            assertArrayEquals(row.getValue(), published.get(row.getKey()), "features of " + row.getKey());
        }
    }
}
