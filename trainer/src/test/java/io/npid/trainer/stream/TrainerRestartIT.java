package io.npid.trainer.stream;

import static io.npid.trainer.stream.StreamFixtures.imageEvent;
import static io.npid.trainer.stream.StreamFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.schemas.Topics;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.EventSerde;
import io.npid.store.FeatureStore;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops and kills a trainer child JVM (clean stop, SIGKILL while training, SIGKILL during ingest) with bad records
 * among its input, and counts what each restart reads again: nothing that was committed (so zero records when
 * nothing is new), and exactly one dead letter per bad record across all the restarts.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerRestartIT {
    private static final LabelledImages DATA = Datasets.synthetic(220, 5);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

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

    private static ProducerRecord<byte[], byte[]> undecodable(final Topics topics, final String id) {
        final byte[] notAnEvent = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        return new ProducerRecord<>(topics.images().name(), key(id), notAnEvent);
    }

    private long committedOffsets(final String bootstrap, final String prefix) {
        try (FeatureStore store = FeatureStore.open(
                dataDir.resolve("store"),
                new StreamingTrainerConfig(StreamFixtures.trainerSettings(bootstrap, prefix, dataDir))
                        .storeOptions())) {
            return store.offsets().values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    void shouldReadNothingCommittedAgainAndDeadLetterEachBadRecordOnceAcrossRestarts(
            @BootstrapServers final String bootstrap) throws Exception {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        final Topics topics = Topics.withPrefix(prefix).withPartitions(2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicAdmin.ensureTopics(admin, topics);
        }
        try (KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            // Run 1: 60 images with 3 undecodable records among them; it trains, then stops cleanly.
            final List<ProducerRecord<byte[], byte[]>> wave1 = images(topics, 0, 60);
            wave1.add(10, undecodable(topics, "bad-0"));
            wave1.add(30, undecodable(topics, "bad-1"));
            wave1.add(undecodable(topics, "bad-2"));
            StreamFixtures.sendAll(producer, wave1);
            TrainerChild child = new TrainerChild(bootstrap, prefix, dataDir);
            child.awaitStarted();
            child.await(
                    "every record and some steps",
                    s -> s.rows() == 60 && s.consumed() == 63 && s.rejected() == 3 && s.step() >= 2);
            child.stop();

            // Run 2, after a clean stop: 5 new images are all it reads (none of the 63 again, no bad one again).
            child = new TrainerChild(bootstrap, prefix, dataDir);
            assertEquals(0, child.awaitStarted().consumed());
            StreamFixtures.sendAll(producer, images(topics, 60, 65));
            TrainerChild.Status s2 = child.await("the 5 new images", s -> s.rows() == 65);
            s2 = child.await("the counts of the 5 new images", s -> s.consumed() >= 5);
            assertEquals(5, s2.consumed(), "records read after a clean restart with 5 new ones: " + s2);
            assertEquals(0, s2.rejected(), "no bad record is read again after a clean restart");
            // A bad record alone: its poll holds no image, yet its offset is committed.
            StreamFixtures.sendAll(producer, List.of(undecodable(topics, "bad-lone")));
            final TrainerChild.Status lone = child.await("the lone bad record", s -> s.rejected() == 1);
            assertEquals(6, lone.consumed());
            child.await("more steps", s -> s.step() >= lone.step() + 2);
            child.kill();
            assertEquals(
                    wave1.size() + 6,
                    committedOffsets(bootstrap, prefix),
                    "every record read before the SIGKILL was committed, the lone bad one too");

            // Run 3, after a SIGKILL while training: nothing committed is read again; killed during a new wave.
            child = new TrainerChild(bootstrap, prefix, dataDir);
            assertEquals(0, child.awaitStarted().consumed());
            StreamFixtures.sendAll(producer, images(topics, 65, 215));
            child.await("part of the new wave", s -> s.rows() > 65);
            child.kill();
            final long sent = wave1.size() + 6 + 150;
            final long committed = committedOffsets(bootstrap, prefix);

            // Run 4, after a SIGKILL during ingest: it reads exactly what the killed run had not committed.
            child = new TrainerChild(bootstrap, prefix, dataDir);
            assertEquals(0, child.awaitStarted().consumed());
            final TrainerChild.Status s4 =
                    child.await("every image", s -> s.rows() == 215 && s.consumed() >= sent - committed);
            assertEquals(
                    sent - committed,
                    s4.consumed(),
                    "records read after a SIGKILL during ingest (" + committed + " of " + sent
                            + " committed at the kill)");
            assertEquals(0, s4.rejected());
            child.stop();
            System.out.println("TrainerRestartIT: records read after a restart: 0 of the committed ones after the "
                    + "clean stop and both SIGKILLs; after the SIGKILL during ingest the " + (sent - committed)
                    + " it had not committed");
        }

        // One dead letter per bad record across the clean stop, the SIGKILLs and the restarts.
        final long letterCount;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            final Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
            for (int p = 0; p < topics.deadLetters().partitions(); p++) {
                ends.put(new TopicPartition(topics.deadLetters().name(), p), OffsetSpec.latest());
            }
            letterCount = admin.listOffsets(ends).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                    .sum();
        }
        final List<ConsumerRecord<byte[], byte[]>> dead = StreamFixtures.readUntil(
                bootstrap, topics.deadLetters().name(), r -> r.size() >= letterCount, Duration.ofSeconds(30));
        assertEquals(letterCount, dead.size());
        final Map<String, Integer> letters = new TreeMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : dead) {
            final DeadLetter letter = EventSerde.of(DeadLetter.class).decode(record.value());
            letters.merge(new String(record.key(), StandardCharsets.UTF_8) + "/" + letter.getReason(), 1, Integer::sum);
        }
        assertEquals(
                Map.of(
                        "bad-0/corrupt-header",
                        1,
                        "bad-1/corrupt-header",
                        1,
                        "bad-2/corrupt-header",
                        1,
                        "bad-lone/corrupt-header",
                        1),
                letters);
    }
}
