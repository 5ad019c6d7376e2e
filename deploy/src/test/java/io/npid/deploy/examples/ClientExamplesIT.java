package io.npid.deploy.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.deploy.client.TestImages;
import io.npid.deploy.local.LocalConfig;
import io.npid.deploy.local.LocalDataSet;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.local.TrainingRecorder;
import io.npid.deploy.metrics.MetricsSettings;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.ResultStatus;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two clients of docs/clients.md against the processes of {@code npid local} (embedded broker, trainer serving,
 * embedder, indexer): each sends a labelled image, waits until its feature is published, queries the same image
 * with k = 1 and must get its own image back as the nearest neighbour, with the class it sent. The Python client
 * uses only Debian's python3-kafka and python3-avro: skipped with a note where they are missing, required in CI.
 */
class ClientExamplesIT {
    /** Debian's interpreter: the one python3-kafka and python3-avro install into (not a pyenv or venv python). */
    static final Path PYTHON = Path.of("/usr/bin/python3");

    static final Path PYTHON_CLIENT = Path.of("..", "docs", "examples", "npid_client.py");
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;

    private static NpidMetrics metrics;
    private static LocalStack stack;

    @BeforeAll
    static void startTheStack() throws IOException {
        final Path pets = dir.resolve("pets");
        for (int i = 0; i < 4; i++) {
            TestImages.png(pets.resolve("dogs/d" + i + ".png"), 32, 32, BufferedImage.TYPE_INT_RGB, 0x0044ff, i);
            TestImages.png(pets.resolve("cats/c" + i + ".png"), 32, 32, BufferedImage.TYPE_INT_RGB, 0xff8800, 10 + i);
        }
        final LocalConfig config = new LocalConfig(
                pets, false, 1, 1000, 2, "small", 16, 2, 0, false, dir.resolve("state"), 1, 32, 3, Map.of());
        final LocalDataSet data = LocalDataSet.load(config, new PrintWriter(new StringWriter()));
        metrics = NpidMetrics.start("local", MetricsSettings.jmxOnly());
        stack = LocalStack.start(
                config,
                data,
                dir.resolve("state"),
                metrics,
                new TrainingRecorder(16, 1),
                Map.of(StreamingTrainerConfig.TRAIN_CONFIG, false));
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void shouldSendAnImageAndReadItsAnswerFromJava() throws Exception {
        final Path image =
                TestImages.png(dir.resolve("java-bird.png"), 40, 40, BufferedImage.TYPE_INT_RGB, 0x22aa22, 77);
        final JavaClient client =
                new JavaClient(stack.bootstrapServers(), stack.topics().prefix());

        client.ingest("java/bird.png", image, "birds");
        awaitFeature("java/bird.png");
        final ClassificationResult result = client.query(image, 1, WAIT);

        assertNotNull(result, "no answer");
        assertEquals(ResultStatus.OK, result.getStatus(), result.toString());
        assertEquals("birds", result.getClassName(), result.toString());
        assertEquals("java/bird.png", result.getNeighbours().get(0).getId(), result.toString());
        assertTrue(result.getNeighbours().get(0).getSimilarity() > 0.99, result.toString());
    }

    @Test
    void shouldSendAnImageAndReadItsAnswerFromPythonWithDebianPackagesOnly() throws Exception {
        final boolean installed = python("-c", "import kafka, avro").exit() == 0;
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(
                    installed,
                    "CI must install python3-kafka and python3-avro (apt-get install -y python3-kafka "
                            + "python3-avro; .ci/run does)");
        }
        assumeTrue(
                installed,
                "python3-kafka and python3-avro are not installed for " + PYTHON
                        + " (apt-get install python3-kafka python3-avro): the Python client of docs/clients.md is not run");
        final Path image = TestImages.jpeg(dir.resolve("fish.jpg"), 48, 40, false, false, 0x2288cc, 88);
        final String servers = "--bootstrap-servers=" + stack.bootstrapServers();
        final String prefix = "--topic-prefix=" + stack.topics().prefix();

        final Run ingest =
                python(PYTHON_CLIENT.toString(), "ingest", image.toString(), "--label", "fish", servers, prefix);
        assertEquals(0, ingest.exit(), ingest.toString());
        assertEquals(
                "python/fish.jpg",
                new ObjectMapper().readTree(ingest.out()).get("id").asText());
        awaitFeature("python/fish.jpg");
        final Run query = python(PYTHON_CLIENT.toString(), "query", image.toString(), "--k", "1", servers, prefix);

        assertEquals(0, query.exit(), query.toString());
        final JsonNode result = new ObjectMapper().readTree(query.out());
        assertEquals("OK", result.get("status").asText(), query.toString());
        assertEquals("fish", result.get("className").asText(), query.toString());
        assertEquals("python/fish.jpg", result.at("/neighbours/0/id").asText(), query.toString());
        assertTrue(result.at("/neighbours/0/similarity").asDouble() > 0.99, query.toString());
        assertEquals(1, result.get("scores").size(), query.toString());
    }

    /** Waits until the trainer published the image's feature with its class (stored and queryable). */
    private static void awaitFeature(final String id) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        final var features = stack.topics().features();
        try (KafkaConsumer<String, FeatureEvent> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", stack.bootstrapServers()),
                features.keySerde().deserializer(),
                features.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(features.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, FeatureEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (id.equals(record.key())
                            && record.value() != null
                            && record.value().getClassName() != null) {
                        // the indexer reads the same record a moment later; give it that moment
                        sleep(2000);
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no labelled feature of " + id + " within " + WAIT.toSeconds() + " s");
    }

    private static void sleep(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Run python(final String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return new Run(127, "", PYTHON + " is missing");
        }
        final List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
        command.addAll(List.of(args));
        final Process process =
                new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        final var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        final String out = read(process.getInputStream());
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python did not finish: " + command);
        }
        return new Run(process.exitValue(), out, err.join());
    }

    private static String read(final java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** What a Python run printed. */
    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }
}
