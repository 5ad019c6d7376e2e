package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.deploy.client.TestImages;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassScore;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.Neighbour;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.serde.VectorCodec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code npid tail} on a real broker: records of each kind decoded to JSON lines, large fields summarised unless
 * {@code --full}, the last ten by default, {@code --from-beginning}, {@code --max}, {@code --key}, {@code --follow};
 * and the missing-topic error of the commands that read or write topics.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TailCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldDecodeResultsToJsonLinesLastTenByDefault(@BootstrapServers final String bootstrap) throws Exception {
        final String prefix = topics(bootstrap);
        final Topics topics = Topics.withPrefix(prefix);
        for (int i = 0; i < 12; i++) {
            send(bootstrap, topics.results(), "q-" + i, result("q-" + i, i % 2 == 0 ? "bag" : "coat"));
        }

        final CliResult last =
                CliResult.run("tail", "results", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);
        final CliResult first = CliResult.run(
                "tail",
                prefix + "results",
                "--from-beginning",
                "--max",
                "3",
                "--bootstrap-servers",
                bootstrap,
                "--topic-prefix",
                prefix);
        final CliResult one = CliResult.run(
                "tail", "results", "--key", "q-7", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);

        assertEquals(ExitCodes.OK, last.exitCode(), last.toString());
        final List<JsonNode> lines = lines(last);
        assertEquals(10, lines.size(), last.toString());
        assertEquals(
                List.of("q-2", "q-3", "q-4", "q-5", "q-6", "q-7", "q-8", "q-9", "q-10", "q-11"),
                lines.stream().map(l -> l.get("key").asText()).toList());
        final JsonNode value = lines.get(5).get("value");
        assertEquals("q-7", value.get("queryId").asText());
        assertEquals("OK", value.get("status").asText());
        assertEquals("coat", value.get("className").asText());
        assertEquals(12.5, value.at("/scores/0/score").asDouble(), 1e-9);
        assertEquals("img-1", value.at("/neighbours/0/id").asText());
        assertEquals(0.75, value.at("/neighbours/0/similarity").asDouble(), 1e-6);
        assertTrue(lines.get(0).has("partition")
                && lines.get(0).has("offset")
                && lines.get(0).has("timestamp"));
        // from the first record of each partition, three in all
        assertEquals(3, lines(first).size(), first.toString());
        assertTrue(lines(first).stream().allMatch(l -> l.get("offset").asLong() < 3), first.toString());
        assertEquals(List.of("q-7"), keysOf(one), one.toString());
    }

    @Test
    void shouldSummariseVectorsAndImageBytesUnlessFull(@BootstrapServers final String bootstrap) throws Exception {
        final String prefix = topics(bootstrap);
        final Topics topics = Topics.withPrefix(prefix);
        final float[] vector = new float[128];
        vector[0] = 0.6f;
        vector[1] = 0.8f;
        send(
                bootstrap,
                topics.features(),
                "img-1",
                FeatureEvent.newBuilder()
                        .setId("img-1")
                        .setVector(VectorCodec.encode(vector))
                        .setLabel(null)
                        .setClassName("bag")
                        .setModelVersion(3)
                        .setStep(40)
                        .setTimestampMs(1)
                        .build());
        final byte[] png = java.nio.file.Files.readAllBytes(
                TestImages.png(dir.resolve("a.png"), 16, 16, BufferedImage.TYPE_BYTE_GRAY, 0x808080, 3));
        send(
                bootstrap,
                topics.images(),
                "photos/a.png",
                ImageEvent.newBuilder()
                        .setId("photos/a.png")
                        .setImage(Image.newBuilder()
                                .setEncoding(ImageEncoding.PNG)
                                .setData(ByteBuffer.wrap(png))
                                .build())
                        .setSource("photos/a.png")
                        .setTimestampMs(2)
                        .build());

        final CliResult features =
                CliResult.run("tail", "features", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);
        final CliResult fullFeatures =
                CliResult.run("tail", "features", "--full", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);
        final CliResult images =
                CliResult.run("tail", "images", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);

        final JsonNode feature = lines(features).get(0).get("value");
        assertEquals(128, feature.at("/vector/dim").asInt(), features.toString());
        assertEquals(1.0, feature.at("/vector/norm").asDouble(), 1e-6);
        assertEquals("bag", feature.get("className").asText());
        final JsonNode fullVector = lines(fullFeatures).get(0).at("/value/vector");
        assertEquals(128, fullVector.size(), fullFeatures.toString());
        assertEquals(0.8, fullVector.get(1).asDouble(), 1e-6);
        final JsonNode image = lines(images).get(0).get("value");
        assertEquals("PNG", image.at("/image/encoding").asText(), images.toString());
        assertEquals(png.length, image.at("/image/data/bytes").asInt());
        assertTrue(images.out().length() < 1000, "the image's bytes are summarised: " + images);
    }

    @Test
    void shouldShowDeadLettersWithTheirReasonAndUndecodableRecordsWithTheDecodersReason(
            @BootstrapServers final String bootstrap) throws Exception {
        final String prefix = topics(bootstrap);
        final Topics topics = Topics.withPrefix(prefix);
        send(
                bootstrap,
                topics.deadLetters(),
                "bad-1".getBytes(StandardCharsets.UTF_8),
                DeadLetter.newBuilder()
                        .setSourceTopic(prefix + "images")
                        .setSourcePartition(0)
                        .setSourceOffset(41)
                        .setKey(ByteBuffer.wrap("bad-1".getBytes(StandardCharsets.UTF_8)))
                        .setReason("undecodable-image")
                        .setDetail("not a PNG or JPEG")
                        .setPayload(ByteBuffer.wrap(new byte[300]))
                        .setProcess("trainer")
                        .setTimestampMs(5)
                        .setPayloadSize(300)
                        .build());
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(
                            prefix + "results",
                            "junk".getBytes(StandardCharsets.UTF_8),
                            "not avro".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }

        final CliResult dead =
                CliResult.run("tail", "dead-letters", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);
        final CliResult junk =
                CliResult.run("tail", "results", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);

        final JsonNode letter = lines(dead).get(0);
        assertEquals("bad-1", letter.get("key").asText(), dead.toString());
        assertEquals("undecodable-image", letter.at("/value/reason").asText());
        assertEquals("bad-1", letter.at("/value/key").asText());
        assertEquals(300, letter.at("/value/payload/bytes").asInt());
        assertEquals(ExitCodes.OK, junk.exitCode(), junk.toString());
        assertEquals(
                "corrupt-header", lines(junk).get(0).at("/undecodable/reason").asText(), junk.toString());
    }

    @Test
    void shouldFollowNewRecordsUntilMax(@BootstrapServers final String bootstrap) throws Exception {
        final String prefix = topics(bootstrap);
        final Topics topics = Topics.withPrefix(prefix);
        send(bootstrap, topics.results(), "old", result("old", "bag"));

        final CompletableFuture<CliResult> follow = CompletableFuture.supplyAsync(() -> CliResult.run(
                "tail",
                "results",
                "--follow",
                "--max",
                "2",
                "--bootstrap-servers",
                bootstrap,
                "--topic-prefix",
                prefix));
        // the follower starts at the end: records sent until it has printed two
        for (int i = 0; !follow.isDone() && i < 600; i++) {
            send(bootstrap, topics.results(), "new-" + i, result("new-" + i, "coat"));
            Thread.sleep(100);
        }

        final CliResult result = follow.get(60, TimeUnit.SECONDS);
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        final List<String> keys = keysOf(result);
        assertEquals(2, keys.size(), result.toString());
        assertFalse(keys.contains("old"), "--follow without --from-beginning prints only new records: " + result);
        assertTrue(keys.get(0).startsWith("new-"), result.toString());
    }

    @Test
    void shouldSayWhichTopicIsMissingAndHowToCreateIt(@BootstrapServers final String bootstrap) throws IOException {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix(); // no topics created under it
        final Path image = TestImages.png(dir.resolve("one.png"), 8, 8, BufferedImage.TYPE_BYTE_GRAY, 0x808080, 1);

        final CliResult ingest = CliResult.run(
                "ingest", image.toString(), "--no-labels", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);
        final CliResult query =
                CliResult.run("query", image.toString(), "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);
        final CliResult tail =
                CliResult.run("tail", "results", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);
        final CliResult unknown = CliResult.run("tail", "resuls", "--bootstrap-servers", bootstrap);

        assertEquals(ExitCodes.STATE, ingest.exitCode(), ingest.toString());
        assertTrue(
                ingest.err()
                        .contains("npid: topic " + prefix + "images does not exist at " + bootstrap
                                + "; create the topics with 'npid topics --bootstrap-servers " + bootstrap + "'"),
                ingest.toString());
        assertEquals(ExitCodes.STATE, query.exitCode(), query.toString());
        assertTrue(
                query.err().contains("npid: topics " + prefix + "queries, " + prefix + "results do not exist"),
                query.toString());
        assertEquals(ExitCodes.STATE, tail.exitCode(), tail.toString());
        assertTrue(tail.err().contains("npid: topic " + prefix + "results does not exist"), tail.toString());
        assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("not an npid topic; one of images, labels, features"), unknown.toString());
    }

    private static String topics(final String bootstrap) {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        final CliResult created = CliResult.run(
                "topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--partitions", "2");
        assertEquals(ExitCodes.OK, created.exitCode(), created.toString());
        return prefix;
    }

    private static ClassificationResult result(final String queryId, final String className) {
        return ClassificationResult.newBuilder()
                .setQueryId(queryId)
                .setStatus(ResultStatus.OK)
                .setLabel(null)
                .setClassName(className)
                .setScores(List.of(new ClassScore(-1, 12.5, className)))
                .setNeighbours(List.of(new Neighbour("img-1", 0.75f, -1, className)))
                .setModelVersion(2)
                .setPartitionsAnswered(2)
                .setPartitionsTotal(2)
                .build();
    }

    private static <K, V> void send(final String bootstrap, final TopicSpec<K, V> topic, final K key, final V value)
            throws Exception {
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        8 << 20),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<JsonNode> lines(final CliResult result) throws IOException {
        final List<JsonNode> out = new ArrayList<>();
        for (String line : result.out().split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static List<String> keysOf(final CliResult result) throws IOException {
        return lines(result).stream().map(l -> l.get("key").asText()).toList();
    }
}
