package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.deploy.client.TestImages;
import io.npid.deploy.local.LocalConfig;
import io.npid.deploy.local.LocalDataSet;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.local.TrainingRecorder;
import io.npid.deploy.metrics.MetricsSettings;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.schemas.Topics;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.store.FeatureStore;
import io.npid.store.StoreOptions;
import io.npid.store.StoredImage;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "your own images", end to end on the real processes of {@code npid local} (embedded broker, trainer,
 * embedder, indexer): photos of every kind made here (32x32 to 4000x3000, grey, RGB, RGBA, progressive, a CMYK
 * JPEG, one over the 8 MiB limit, a text file) are sent with {@code npid ingest} as a flat folder and as class
 * folders, then a folder of queries with {@code npid query --json}.
 *
 * <p>The scenario runs once; each test checks one promise of it.
 */
class OwnImagesIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Set<String> CLASSES = Set.of("birds", "cats", "dogs");

    @TempDir
    static Path dir;

    private static NpidMetrics metrics;
    private static LocalStack stack;
    private static CliResult flatIngest;
    private static CliResult classIngest;
    private static CliResult query;
    /** Every id the ingests acknowledged. */
    private static final Set<String> SENT = new TreeSet<>();
    /** Ids with a published feature (stored in the bank). */
    private static final Set<String> STORED = new TreeSet<>();
    /** Ids in dead-letters, with the reason. */
    private static final Map<String, String> DEAD_LETTERED = new TreeMap<>();

    private static final List<JsonNode> ANSWERS = new ArrayList<>();
    /** What the feature store kept of each stored image. */
    private static final Map<String, StoredImage> STORED_SHAPES = new TreeMap<>();

    @BeforeAll
    static void runTheScenario() throws Exception {
        // Step 1: the photos
        final Path holiday = dir.resolve("holiday");
        TestImages.png(holiday.resolve("small.png"), 32, 32, BufferedImage.TYPE_INT_RGB, 0xcc2222, 1);
        TestImages.png(holiday.resolve("grey.png"), 64, 48, BufferedImage.TYPE_BYTE_GRAY, 0x777777, 2);
        TestImages.png(holiday.resolve("rgba.png"), 100, 80, BufferedImage.TYPE_INT_ARGB, 0x22cc22, 3);
        TestImages.jpeg(holiday.resolve("progressive.jpg"), 640, 480, false, true, 0x2222cc, 4);
        TestImages.jpeg(holiday.resolve("grey.jpg"), 300, 200, true, false, 0x999999, 5);
        TestImages.jpeg(holiday.resolve("camera.jpg"), 4000, 3000, false, false, 0xc08040, 6);
        TestImages.cmyk(holiday.resolve("cmyk.jpg"));
        tooLarge(holiday.resolve("panorama.jpg"));
        Files.writeString(holiday.resolve("notes.txt"), "not an image");
        assertTrue(
                Files.size(holiday.resolve("camera.jpg")) > 1024 * 1024,
                "the camera photo is over the broker's 1 MiB default, which refused it in issue 12");
        final Path pets = dir.resolve("pets");
        for (int i = 0; i < 5; i++) {
            TestImages.jpeg(pets.resolve("cats/c" + i + ".jpg"), 64, 64, false, i % 2 == 1, 0xff8800, 10 + i);
            TestImages.png(pets.resolve("dogs/d" + i + ".png"), 48, 48, BufferedImage.TYPE_INT_RGB, 0x0044ff, 20 + i);
            TestImages.jpeg(pets.resolve("birds/b" + i + ".jpg"), 40, 30, true, false, 0x303030, 30 + i);
        }
        final Path queries = dir.resolve("queries");
        TestImages.jpeg(queries.resolve("cat.jpg"), 64, 64, false, false, 0xff8800, 40);
        TestImages.png(queries.resolve("dog.png"), 48, 48, BufferedImage.TYPE_INT_RGB, 0x0044ff, 41);
        TestImages.jpeg(queries.resolve("more/bird.jpg"), 40, 30, true, false, 0x303030, 42);
        TestImages.jpeg(queries.resolve("more/photo.jpg"), 640, 480, false, true, 0x2222cc, 43);
        tooLarge(queries.resolve("huge.png"));

        // Step 2: the processes of npid local, the trainer serving only (every image embedded as it arrives)
        final LocalConfig config = new LocalConfig(
                pets, false, 1, 1000, 3, "small", 16, 2, 0, false, dir.resolve("state"), 1, 32, 3, Map.of());
        final LocalDataSet data = LocalDataSet.load(config, new PrintWriter(new StringWriter()));
        metrics = NpidMetrics.start("local", MetricsSettings.jmxOnly());
        stack = LocalStack.start(
                config,
                data,
                dir.resolve("state"),
                metrics,
                new TrainingRecorder(16, 1),
                Map.of(StreamingTrainerConfig.TRAIN_CONFIG, false));
        final String servers = stack.bootstrapServers();

        // Step 3: npid ingest, a flat folder (unlabelled) and class folders (labelled by folder name)
        flatIngest = CliResult.run("ingest", holiday.toString(), "--bootstrap-servers", servers);
        classIngest = CliResult.run("ingest", pets.toString(), "--bootstrap-servers", servers);
        for (String name :
                List.of("small.png", "grey.png", "rgba.png", "progressive.jpg", "grey.jpg", "camera.jpg", "cmyk.jpg")) {
            SENT.add("holiday/" + name);
        }
        for (int i = 0; i < 5; i++) {
            SENT.addAll(List.of("pets/cats/c" + i + ".jpg", "pets/dogs/d" + i + ".png", "pets/birds/b" + i + ".jpg"));
        }

        // Step 4: every image stored (its feature published) or dead-lettered, read from the topics
        final Topics topics = stack.topics();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        try (Tail<FeatureEvent> features = new Tail<>(
                        servers,
                        topics.features().name(),
                        topics.features().valueSerde().deserializer());
                Tail<DeadLetter> letters = new Tail<>(
                        servers,
                        topics.deadLetters().name(),
                        topics.deadLetters().valueSerde().deserializer())) {
            while (STORED.size() + DEAD_LETTERED.size() < SENT.size() && System.nanoTime() < deadline) {
                features.poll().forEach((id, feature) -> STORED.add(id));
                letters.poll().forEach((id, letter) -> DEAD_LETTERED.put(id, letter.getReason()));
            }
        }

        // Step 5: npid query on a folder, one JSON object per line
        query = CliResult.run(
                "query", queries.toString(), "--json", "--k", "5", "--bootstrap-servers", servers, "--timeout", "90");
        final ObjectMapper mapper = new ObjectMapper();
        for (String line : query.out().split("\n")) {
            if (!line.isBlank()) {
                ANSWERS.add(mapper.readTree(line));
            }
        }
        System.out.println("OwnImagesIT: stored " + STORED.size() + ", dead-lettered " + DEAD_LETTERED + "; "
                + ANSWERS.size() + " query lines");

        // Step 6: stop the processes and read what the feature store kept of each image
        stack.close();
        stack = null;
        try (FeatureStore store = FeatureStore.open(
                dir.resolve("state").resolve("trainer").resolve("store"), StoreOptions.defaults(128))) {
            final int[] rows = java.util.stream.IntStream.range(0, store.size()).toArray();
            for (StoredImage image : store.readImages(rows)) {
                STORED_SHAPES.put(image.id(), image);
            }
        }
    }

    @Test
    void shouldKeepEveryImageShrunkToTheStoredSizeWhateverItsSize() {
        // input 32 -> stored shorter side at most 37 (8/7): the 4000x3000 photo as 49x37x3, not 36 MB of pixels
        assertEquals(STORED, STORED_SHAPES.keySet());
        for (StoredImage image : STORED_SHAPES.values()) {
            assertTrue(Math.min(image.width(), image.height()) <= 37, image.toString());
            assertTrue(image.pixels().length <= 64 * 37 * 3, image.toString());
        }
        final StoredImage camera = STORED_SHAPES.get("holiday/camera.jpg");
        assertEquals(49, camera.width(), camera.toString());
        assertEquals(37, camera.height(), camera.toString());
        assertEquals(3, camera.channels());
        final StoredImage small = STORED_SHAPES.get("holiday/small.png");
        assertEquals(32, small.width(), "never enlarged");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void shouldSendEveryImageOfBothFoldersAndSayWhatItSkippedAndWhy() {
        assertEquals(ExitCodes.INCOMPLETE, flatIngest.exitCode(), flatIngest.toString());
        assertTrue(flatIngest.out().startsWith("ingested 7 images and 0 labels from "), flatIngest.toString());
        assertTrue(flatIngest.out().contains("skipped 2: 1 not an image, 1 too large"), flatIngest.toString());
        assertTrue(flatIngest.err().contains("holiday: no class sub-folders: unlabelled"), flatIngest.toString());
        assertTrue(
                flatIngest
                        .err()
                        .contains("panorama.jpg: too large (9,437,184 bytes, over the 8,388,608-byte "
                                + "limit npid.image.max.bytes)"),
                flatIngest.toString());
        assertTrue(flatIngest.err().contains("notes.txt: not an image"), flatIngest.toString());
        assertEquals(ExitCodes.OK, classIngest.exitCode(), classIngest.toString());
        assertTrue(classIngest.out().startsWith("ingested 15 images and 15 labels from "), classIngest.toString());
        assertTrue(
                classIngest.err().contains("3 class folders (birds, cats, dogs), labelled by folder name"),
                classIngest.toString());
    }

    @Test
    void shouldStoreOrDeadLetterEveryImageWithAReason() {
        final Set<String> accounted = new TreeSet<>(STORED);
        accounted.addAll(DEAD_LETTERED.keySet());
        assertEquals(SENT, accounted, "stored " + STORED + ", dead-lettered " + DEAD_LETTERED);
        DEAD_LETTERED.forEach((id, reason) -> assertFalse(reason.isBlank(), id));
        for (String id : List.of(
                "holiday/camera.jpg",
                "holiday/rgba.png",
                "holiday/grey.png",
                "holiday/progressive.jpg",
                "holiday/grey.jpg",
                "holiday/small.png",
                "pets/cats/c0.jpg")) {
            assertTrue(STORED.contains(id), id + " stored; dead letters: " + DEAD_LETTERED);
        }
    }

    @Test
    void shouldAnswerEveryQueryImageAndNameNeighboursByTheirPaths() {
        assertEquals(ExitCodes.INCOMPLETE, query.exitCode(), "the too-large query is skipped: " + query);
        assertTrue(query.err().contains("1 image file(s) were not sent"), query.toString());
        final Map<String, JsonNode> byFile = new HashMap<>();
        ANSWERS.forEach(
                a -> byFile.put(Path.of(a.get("query").asText()).getFileName().toString(), a));
        assertEquals(
                Set.of("cat.jpg", "dog.png", "bird.jpg", "photo.jpg", "huge.png"),
                byFile.keySet(),
                "one line per image: " + query);
        assertEquals("SKIPPED", byFile.get("huge.png").get("status").asText());
        assertEquals("too-large", byFile.get("huge.png").get("reason").asText());
        for (String file : List.of("cat.jpg", "dog.png", "bird.jpg", "photo.jpg")) {
            final JsonNode answer = byFile.get(file);
            assertEquals("OK", answer.get("status").asText(), answer.toString());
            assertEquals(5, answer.get("neighbours").size(), answer.toString());
            for (JsonNode neighbour : answer.get("neighbours")) {
                assertTrue(STORED.contains(neighbour.get("id").asText()), "a stored file's path: " + neighbour);
            }
        }
    }

    @Test
    void shouldNameTheClassesOfAnswersAndNeighboursByTheirFolders() {
        for (JsonNode answer : ANSWERS) {
            if (!"OK".equals(answer.get("status").asText())) {
                continue;
            }
            assertTrue(CLASSES.contains(answer.get("className").asText()), "a class folder's name: " + answer);
            for (JsonNode neighbour : answer.get("neighbours")) {
                final String id = neighbour.get("id").asText();
                if (id.startsWith("pets/")) {
                    assertEquals(id.split("/")[1], neighbour.get("className").asText(), neighbour.toString());
                }
            }
        }
    }

    @Test
    void shouldStoreTheCmykJpeg() {
        // decoding CMYK JPEGs (TwelveMonkeys) lands from the lead's branch; until then the trainer dead-letters it
        assertTrue(STORED.contains("holiday/cmyk.jpg"), "dead-lettered as " + DEAD_LETTERED.get("holiday/cmyk.jpg"));
    }

    /** 9 MiB that start like a JPEG: refused by size before anything reads the rest. */
    private static void tooLarge(final Path file) throws IOException {
        final byte[] data = new byte[9 * 1024 * 1024];
        new Random(9).nextBytes(data);
        data[0] = (byte) 0xff;
        data[1] = (byte) 0xd8;
        data[2] = (byte) 0xff;
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }

    /** Reads a topic from the beginning, without a group: values by their record key (the image id). */
    private static final class Tail<V> implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Deserializer<V> values;
        private final String topic;

        Tail(final String servers, final String topic, final Deserializer<V> values) {
            this.consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            servers,
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                            false),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            this.values = values;
            this.topic = topic;
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        Map<String, V> poll() {
            final Map<String, V> out = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.key() != null && r.value() != null) {
                    final V value = values.deserialize(topic, r.value());
                    assertNotNull(value);
                    out.put(new String(r.key(), StandardCharsets.UTF_8), value);
                }
            }
            return out;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
