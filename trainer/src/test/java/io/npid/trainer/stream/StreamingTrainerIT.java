package io.npid.trainer.stream;

import static io.npid.trainer.stream.StreamFixtures.imageEvent;
import static io.npid.trainer.stream.StreamFixtures.key;
import static io.npid.trainer.stream.StreamFixtures.labelEvent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.schemas.Topics;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.VectorCodec;
import io.npid.store.FeatureStore;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.checkpoint.CheckpointMeta;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.LabelledImages;
import io.npid.trainer.embed.Encoder;
import io.npid.trainer.train.TrainingResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class StreamingTrainerIT {
    private static final LabelledImages DATA = Datasets.synthetic(60, 7);
    private static final Duration LONG = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    private String bootstrap;
    private Topics topics;
    private Map<String, Object> settings;

    @BeforeEach
    void setUp(@BootstrapServers final String bootstrap) {
        this.bootstrap = bootstrap;
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        this.topics = Topics.withPrefix(prefix).withPartitions(2);
        this.settings = StreamFixtures.trainerSettings(bootstrap, prefix, dataDir);
    }

    /** Records what the trainer reports, for assertions on the training curve. */
    private static final class Recorder implements TrainerListener {
        final List<Long> steps = new CopyOnWriteArrayList<>();
        final List<Long> epochs = new CopyOnWriteArrayList<>();
        final List<CheckpointMeta> checkpoints = new CopyOnWriteArrayList<>();
        final Map<String, Integer> rejected = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void onStep(final long step, final long epoch, final float loss, final int rows) {
            assertTrue(Float.isFinite(loss), "loss must be finite, got " + loss + " at step " + step);
            steps.add(step);
        }

        @Override
        public void onEpochEnd(final long epoch, final long step, final double meanLoss) {
            epochs.add(epoch);
        }

        @Override
        public void onCheckpoint(final CheckpointMeta meta) {
            checkpoints.add(meta);
        }

        @Override
        public void onRejected(final String topic, final String reason) {
            rejected.merge(reason, 1, Integer::sum);
        }
    }

    /** Even images were labelled inline by int (class "3" for label 3), odd ones late by class name. */
    private static String expectedClass(final int i) {
        return i % 2 == 0 ? Integer.toString(DATA.labels()[i]) : DATA.classNames()[DATA.labels()[i]];
    }

    private List<ProducerRecord<byte[], byte[]>> images(final int from, final int to, final boolean labelled) {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            final String id = "img-" + i;
            records.add(new ProducerRecord<>(
                    topics.images().name(),
                    key(id),
                    imageEvent(id, DATA.images().get(i), labelled && i % 2 == 0 ? DATA.labels()[i] : null)));
        }
        return records;
    }

    @Test
    void shouldIngestEachDistinctIdOnceRejectBadRecordsTrainAndPublish() throws Exception {
        // Step 1: 40 images (even ones labelled inline by legacy int labels), 5 re-sent, odd labels late with class
        // names, and a corpus of bad records.
        final DecodedImage good = DATA.images().get(0);
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(images(0, 40, true));
        records.addAll(images(0, 5, true));
        for (int i = 1; i < 40; i += 2) {
            records.add(new ProducerRecord<>(
                    topics.labels().name(),
                    key("img-" + i),
                    labelEvent("img-" + i, DATA.labels()[i], DATA.classNames()[DATA.labels()[i]])));
        }
        final String images = topics.images().name();
        records.add(new ProducerRecord<>(images, null, imageEvent("no-key", good, null)));
        records.add(new ProducerRecord<>(images, key("random"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        records.add(new ProducerRecord<>(images, key("empty"), new byte[0]));
        records.add(new ProducerRecord<>(images, key("tomb"), null));
        records.add(new ProducerRecord<>(images, key("neg"), imageEvent("neg", good, -3)));
        records.add(new ProducerRecord<>(images, key("other"), imageEvent("not-other", good, null)));
        final byte[] whole = imageEvent("short", good, null);
        records.add(new ProducerRecord<>(images, key("short"), java.util.Arrays.copyOf(whole, 40)));
        final ImageEvent mismatch = ImageEvent.newBuilder()
                .setId("mismatch")
                .setTimestampMs(0)
                .setImage(StreamFixtures.raw(good))
                .build();
        mismatch.getImage().setWidth(27);
        records.add(new ProducerRecord<>(
                images, key("mismatch"), EventSerde.of(ImageEvent.class).encode(mismatch)));
        records.add(new ProducerRecord<>(topics.labels().name(), key("img-1"), labelEvent("img-1", -1)));
        records.add(new ProducerRecord<>(topics.labels().name(), key("img-3"), labelEvent("img-3", 0, " \t")));
        settings.put(StreamingTrainerConfig.EPOCHS_CONFIG, "2");
        final Recorder recorder = new Recorder();

        // Step 2: the trainer creates the topics; then the records go in and it trains two epochs.
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), recorder);
                KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            StreamFixtures.sendAll(producer, records);
            final TrainerStatus done = trainer.trainingComplete().get(LONG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(2, done.epoch());
            await(
                    () -> trainer.status().rows() == 40 && trainer.status().lag() == 0,
                    "rows 40 and no lag, got " + trainer.status());
            final Map<String, Long> expected = new TreeMap<>(Map.of(
                    "null-key",
                    1L,
                    "corrupt-header",
                    1L,
                    "empty-payload",
                    1L,
                    "tombstone",
                    1L,
                    "negative-label",
                    2L,
                    "key-mismatch",
                    1L,
                    "truncated-body",
                    1L,
                    "raw-size-mismatch",
                    1L,
                    "bad-class-name",
                    1L));
            await(() -> trainer.rejectedByReason().equals(expected), "dead letters " + trainer.rejectedByReason());
        }

        // Step 3: the store has one row per distinct id, every label, and offsets at the end of each partition.
        try (FeatureStore store =
                FeatureStore.open(dataDir.resolve("store"), new StreamingTrainerConfig(settings).storeOptions())) {
            assertEquals(40, store.size());
            final Set<Integer> rows = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                final int row = store.rowOf("img-" + i);
                assertTrue(row >= 0 && row < 40, "row of img-" + i + " is " + row);
                rows.add(row);
                assertEquals(Optional.of(expectedClass(i)), store.labelOf(row), "class of img-" + i);
            }
            assertEquals(40, rows.size());
            final long consumed =
                    store.offsets().values().stream().mapToLong(Long::longValue).sum();
            assertEquals(records.size(), consumed, "offsets must cover every record once");
            assertEquals(2, store.progress().epoch());
        }

        // Step 4: dead letters carry their reasons; features hold every id with its label; checkpoints are out.
        final List<ConsumerRecord<byte[], byte[]>> dead =
                StreamFixtures.readUntil(bootstrap, topics.deadLetters().name(), r -> r.size() >= 10, LONG);
        final Map<String, Integer> reasons = new TreeMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : dead) {
            final DeadLetter letter = EventSerde.of(DeadLetter.class).decode(record.value());
            assertEquals("trainer", letter.getProcess());
            reasons.merge(letter.getReason(), 1, Integer::sum);
        }
        assertEquals(new TreeMap<>(recorder.rejected), reasons);
        assertEquals(10, dead.size(), "dead letters " + reasons);

        // The default refresh after each epoch re-embeds every row with the final model after the last step, so
        // every row's latest feature is that model's embedding of its image (the live bank = recomputed features).
        final long lastStep = recorder.steps.get(recorder.steps.size() - 1);
        final Map<String, FeatureEvent> latest = new HashMap<>();
        final int[] seen = {0};
        StreamFixtures.readUntil(
                bootstrap,
                topics.features().name(),
                r -> {
                    r.subList(seen[0], r.size())
                            .forEach(c -> latest.put(
                                    new String(c.key()),
                                    EventSerde.of(FeatureEvent.class).decode(c.value())));
                    seen[0] = r.size();
                    return latest.size() == 40
                            && latest.values().stream()
                                    .allMatch(f -> f.getClassName() != null && f.getStep() == lastStep);
                },
                LONG);
        assertEquals(40, latest.size());

        final CheckpointMeta last = new CheckpointDirectory(dataDir.resolve("checkpoints"), 2)
                .latest()
                .orElseThrow()
                .meta();
        assertEquals(lastStep, last.step());
        assertEquals(2, last.epoch());
        assertEquals(40, last.rows());
        final List<ConsumerRecord<byte[], byte[]>> published = StreamFixtures.readUntil(
                bootstrap,
                topics.checkpoints().name(),
                r -> r.stream()
                        .anyMatch(c -> EventSerde.of(ModelCheckpoint.class)
                                        .decode(c.value())
                                        .getVersion()
                                == last.version()),
                LONG);
        final ModelCheckpoint lastModel = published.stream()
                .map(c -> EventSerde.of(ModelCheckpoint.class).decode(c.value()))
                .filter(c -> c.getVersion() == last.version())
                .findFirst()
                .orElseThrow();
        try (Encoder encoder = Encoder.fromCheckpoint(lastModel)) {
            for (final Map.Entry<String, FeatureEvent> entry : latest.entrySet()) {
                final int i = Integer.parseInt(entry.getKey().substring(4));
                assertEquals(expectedClass(i), entry.getValue().getClassName(), "class of " + entry.getKey());
                // The int label goes out only where the class name is a number (the legacy, inline labels).
                assertEquals(
                        i % 2 == 0 ? (Integer) DATA.labels()[i] : null,
                        entry.getValue().getLabel(),
                        "int label of " + entry.getKey());
                final float[] v = VectorCodec.decode(entry.getValue().getVector());
                assertArrayEquals(
                        encoder.embed(List.of(DATA.images().get(i))),
                        v,
                        1e-4f,
                        "feature of " + entry.getKey() + " is the final model's embedding");
            }
        }
        final ModelCheckpoint first =
                EventSerde.of(ModelCheckpoint.class).decode(published.get(0).value());
        assertEquals(1, first.getVersion(), "a fresh trainer publishes version 1 at step 0");
        assertEquals(0, first.getStep());
        assertEquals("small-flat", first.getBackbone());
        assertEquals(List.of(1L, 2L), recorder.epochs);
        assertEquals(lastStep, recorder.steps.size(), "steps are numbered 1..n without gaps");
    }

    @Test
    void shouldTrainASmallSetAndResumeStepEpochAndOffsetsAfterARestart() throws Exception {
        settings.put(StreamingTrainerConfig.EPOCHS_CONFIG, "1");
        final CheckpointMeta first;
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), null);
                KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            // Step 1: fewer images than a batch and then nothing: once the input is quiet it trains on what is there.
            StreamFixtures.sendAll(producer, images(0, 10, true));
            final TrainerStatus done = trainer.trainingComplete().get(LONG.toSeconds(), TimeUnit.SECONDS);
            assertTrue(done.step() > 0, "a set smaller than a batch trains");
            assertEquals(10, done.rows(), "the epoch covered the 10 images");
            assertEquals(1, done.epoch());
            // Step 2: 30 more arrive after the bounded run is complete: ingested and queryable, not trained.
            StreamFixtures.sendAll(producer, images(10, 40, true));
            await(() -> trainer.status().rows() == 40, "40 rows, got " + trainer.status());
            assertEquals(done.step(), trainer.status().step());
        }
        first = new CheckpointDirectory(dataDir.resolve("checkpoints"), 2)
                .latest()
                .orElseThrow()
                .meta();
        assertEquals(1, first.epoch());

        // Step 3: while it is down, 10 new images and 5 re-sent ones arrive.
        try (KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            final List<ProducerRecord<byte[], byte[]>> more = new ArrayList<>(images(40, 50, true));
            more.addAll(images(20, 25, true));
            StreamFixtures.sendAll(producer, more);
        }

        // Step 4: restarted for three epochs, it continues the step, the epoch and the model versions.
        settings.put(StreamingTrainerConfig.EPOCHS_CONFIG, "3");
        final Recorder recorder = new Recorder();
        final TrainingResult expected;
        final CompletableFuture<TrainingResult> result;
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), recorder)) {
            final TrainerStatus start = trainer.status();
            assertNotNull(start);
            assertEquals(first.step(), start.step(), "the step continues from the checkpoint");
            assertEquals(first.version(), start.modelVersion());
            final TrainerStatus done = trainer.trainingComplete().get(LONG.toSeconds(), TimeUnit.SECONDS);
            // Three epochs, the last over all 50 rows: one more when the 10 new rows came after the loader had
            // drawn epoch 3's order over the 40 it knew.
            assertEquals(50, done.rows());
            assertTrue(done.epoch() == 3 || done.epoch() == 4, "epochs reported " + recorder.epochs);
            assertEquals(first.step() + 1, recorder.steps.get(0), "the first step after the restart");
            await(
                    () -> trainer.status().rows() == 50 && trainer.status().lag() == 0,
                    "50 rows, got " + trainer.status());
            assertEquals(
                    java.util.stream.LongStream.rangeClosed(2, done.epoch())
                            .boxed()
                            .toList(),
                    recorder.epochs,
                    "epochs reported");
            assertTrue(recorder.checkpoints.stream().allMatch(c -> c.version() > first.version()));
            // a clean stop returns what the run did: no step since completion, so no further checkpoint
            expected = new TrainingResult(
                    done.step(),
                    done.epoch(),
                    50,
                    recorder.checkpoints.get(recorder.checkpoints.size() - 1).version());
            result = trainer.result();
        }
        assertEquals(expected, result.get(LONG.toSeconds(), TimeUnit.SECONDS));
        try (FeatureStore store =
                FeatureStore.open(dataDir.resolve("store"), new StreamingTrainerConfig(settings).storeOptions())) {
            assertEquals(50, store.size());
            final Map<TopicPartition, Long> offsets = store.offsets();
            assertEquals(
                    55,
                    offsets.entrySet().stream()
                            .filter(e ->
                                    e.getKey().topic().equals(topics.images().name()))
                            .mapToLong(Map.Entry::getValue)
                            .sum());
        }

        // Step 5: 5 images arrive after the last checkpoint, then the live store is lost: it is restored from the
        // checkpoint's snapshot, whose offsets re-consume exactly those 5.
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), null);
                KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            StreamFixtures.sendAll(producer, images(50, 55, true));
            await(() -> trainer.status().rows() == 55, "55 rows, got " + trainer.status());
        }
        final CheckpointMeta last = new CheckpointDirectory(dataDir.resolve("checkpoints"), 2)
                .latest()
                .orElseThrow()
                .meta();
        // Training may finish before the 10 new images of step 3 are ingested: the snapshot has 40 to 50 rows.
        assertTrue(last.rows() >= 40 && last.rows() <= 50, "no step after the last checkpoint, got " + last);
        deleteTree(dataDir.resolve("store"));
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), null)) {
            assertEquals(last.step(), trainer.status().step());
            await(
                    () -> trainer.status().rows() == 55 && trainer.status().lag() == 0,
                    "55 rows again, got " + trainer.status());
        }
        try (FeatureStore store =
                FeatureStore.open(dataDir.resolve("store"), new StreamingTrainerConfig(settings).storeOptions())) {
            assertEquals(55, store.size(), "the restored store re-consumed exactly the 5 images after its snapshot");
            assertEquals(
                    60,
                    store.offsets().entrySet().stream()
                            .filter(e ->
                                    e.getKey().topic().equals(topics.images().name()))
                            .mapToLong(Map.Entry::getValue)
                            .sum());
        }
    }

    @Test
    void shouldCountABoundedRunsEpochsOverEveryImageOfAStreamStillArriving() throws Exception {
        settings.put(StreamingTrainerConfig.EPOCHS_CONFIG, "1");
        final Recorder recorder = new Recorder();
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), recorder);
                KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            // 60 images in waves of 6, 300 ms apart: more than a batch early on, but the stream is not done
            for (int wave = 0; wave < 10; wave++) {
                StreamFixtures.sendAll(producer, images(wave * 6, wave * 6 + 6, false));
                Thread.sleep(300);
                assertTrue(
                        !trainer.trainingComplete().isDone() || wave == 9,
                        "complete after wave " + wave + " of 10: " + trainer.status());
            }
            final TrainerStatus done = trainer.trainingComplete().get(LONG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(60, done.rows(), "the run ended after every image had arrived");
            assertTrue(done.epoch() >= 1);
            assertTrue(recorder.steps.size() > 60 / 16, "new images were trained on as they came");
        }
    }

    private static void deleteTree(final Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
            for (final Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    @Test
    void shouldIngestAndPublishWithoutTrainingWhenServingOnly() throws Exception {
        settings.put(StreamingTrainerConfig.TRAIN_CONFIG, "false");
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), null);
                KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            assertTrue(trainer.trainingComplete().isDone(), "serve-only is complete from the start");
            StreamFixtures.sendAll(producer, images(0, 20, true));
            await(() -> trainer.status().rows() == 20, "20 rows, got " + trainer.status());
            final Map<String, FeatureEvent> latest = new HashMap<>();
            StreamFixtures.readUntil(
                    bootstrap,
                    topics.features().name(),
                    r -> {
                        r.forEach(c -> latest.put(
                                new String(c.key()),
                                EventSerde.of(FeatureEvent.class).decode(c.value())));
                        return latest.size() == 20;
                    },
                    LONG);
            assertEquals(20, latest.size(), "every ingested image is queryable");
            assertTrue(latest.values().stream().allMatch(f -> f.getStep() == 0 && f.getModelVersion() == 1));
            assertEquals(0, trainer.status().step(), "no optimisation step when serving only");
        }
    }

    static void await(final BooleanSupplier condition, final String message) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + LONG.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Timed out waiting for: " + message);
            }
            Thread.sleep(50);
        }
    }
}
