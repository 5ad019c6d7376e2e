package io.npid.trainer.stream;

import static io.npid.trainer.stream.StreamFixtures.imageEvent;
import static io.npid.trainer.stream.StreamFixtures.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.Topics;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.kafka.EmbeddedKafkaExtension;
import io.npid.schemas.kafka.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.VectorCodec;
import io.npid.store.FeatureStore;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
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

    /** A trainer child process and what it printed. */
    private static final class Child {
        private final Process process;
        private final CompletableFuture<Long> started = new CompletableFuture<>();
        private final CompletableFuture<Void> stopped = new CompletableFuture<>();
        private final List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile long step = -1;
        private volatile long rows = -1;

        Child(final String bootstrap, final String prefix, final Path dataDir) throws IOException {
            final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseSerialGC", "-Dai.djl.offline=true", "-cp",
                    System.getProperty("java.class.path"), TrainerChildProcess.class.getName(), bootstrap, prefix,
                    dataDir.toString()).redirectErrorStream(true).start();
            final Thread reader = new Thread(this::read, "child-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("STATUS ") || line.startsWith("STARTED ")) {
                        final String[] parts = line.split(" ");
                        step = Long.parseLong(parts[1].substring("step=".length()));
                        rows = Long.parseLong(parts[2].substring("rows=".length()));
                        if (line.startsWith("STARTED ")) {
                            started.complete(step);
                        }
                    } else if (line.equals("STOPPED")) {
                        stopped.complete(null);
                    } else {
                        output.add(line);
                    }
                }
            } catch (final IOException e) {
                // the process died
            }
            started.completeExceptionally(new AssertionError("Child exited before starting: " + output));
        }

        long awaitStarted() throws Exception {
            return started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        void await(final String what, final LongPredicate onRows, final LongPredicate onStep) throws Exception {
            final long deadline = System.currentTimeMillis() + WAIT.toMillis();
            while (!(onRows.test(rows) && onStep.test(step))) {
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    throw new AssertionError("Child never reached " + what + " (rows " + rows + ", step " + step
                            + ", alive " + process.isAlive() + "): " + output);
                }
                Thread.sleep(20);
            }
        }

        String kill() throws InterruptedException {
            final String at = "rows " + rows + " step " + step;
            process.destroyForcibly();
            process.waitFor();
            return at;
        }

        void stop() throws Exception {
            process.getOutputStream().close();
            stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    private List<ProducerRecord<byte[], byte[]>> images(final Topics topics, final int from, final int to) {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(new ProducerRecord<>(topics.images().name(), key("img-" + i),
                    imageEvent("img-" + i, DATA.images().get(i), DATA.labels()[i])));
        }
        return records;
    }

    private long latestStep() {
        return new CheckpointDirectory(dataDir.resolve("checkpoints"), 2).latest().map(c -> c.meta().step())
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
            Child child = new Child(bootstrap, prefix, dataDir);
            final List<ProducerRecord<byte[], byte[]>> wave1 = images(topics, 0, 200);
            wave1.addAll(images(topics, 50, 70));
            StreamFixtures.sendAll(producer, wave1);
            sent += wave1.size();
            startSteps.add(child.awaitStarted());
            child.await("first rows", r -> r > 0, s -> true);
            final List<String> kills = new ArrayList<>();
            kills.add(child.kill());

            // Kill 2, during training: it resumes from the checkpoint and trains a few steps.
            long expected = latestStep();
            child = new Child(bootstrap, prefix, dataDir);
            startSteps.add(child.awaitStarted());
            assertEquals(expected, startSteps.get(1), "restart 1 resumes at the checkpoint's step");
            child.await("a few steps", r -> true, s -> s >= startSteps.get(1) + 5);
            kills.add(child.kill());

            // Kill 3, at a random moment while more images (and re-sent ones) arrive.
            final List<ProducerRecord<byte[], byte[]>> wave2 = images(topics, 200, 300);
            wave2.addAll(images(topics, 0, 30));
            StreamFixtures.sendAll(producer, wave2);
            sent += wave2.size();
            expected = latestStep();
            assertTrue(expected > 0, "a checkpoint with training was written before kill 2");
            child = new Child(bootstrap, prefix, dataDir);
            startSteps.add(child.awaitStarted());
            assertEquals(expected, startSteps.get(2), "restart 2 resumes at the checkpoint's step");
            Thread.sleep(new java.util.Random(7).nextInt(1500));
            kills.add(child.kill());

            // Last run: it catches up, trains, and stops cleanly.
            expected = latestStep();
            child = new Child(bootstrap, prefix, dataDir);
            startSteps.add(child.awaitStarted());
            assertEquals(expected, startSteps.get(3), "restart 3 resumes at the checkpoint's step");
            final long resumed = startSteps.get(3);
            child.await("every image and more steps", r -> r == 300, s -> s >= resumed + 3);
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
        try (FeatureStore store = FeatureStore.open(dataDir.resolve("store"), new StreamingTrainerConfig(
                StreamFixtures.trainerSettings(bootstrap, prefix, dataDir)).storeOptions())) {
            assertEquals(300, store.size(), "rows == distinct ids acknowledged");
            for (int i = 0; i < 300; i++) {
                assertTrue(store.rowOf("img-" + i) >= 0, "img-" + i + " is stored");
            }
            assertEquals(sent, store.offsets().values().stream().mapToLong(Long::longValue).sum());
            store.forEachRow((id, row, label, vector) -> bank.put(id, vector));
        }

        // The features topic converged to the bank: the latest event of every id is its bank row.
        final Map<String, float[]> published = new HashMap<>();
        final int[] seen = {0};
        StreamFixtures.readUntil(bootstrap, topics.features().name(), records -> {
            records.subList(seen[0], records.size()).forEach(r -> published.put(new String(r.key(),
                    StandardCharsets.UTF_8),
                    VectorCodec.decode(EventSerde.of(FeatureEvent.class).decode(r.value()).getVector())));
            seen[0] = records.size();
            return published.size() == 300 && bank.entrySet().stream()
                    .allMatch(e -> java.util.Arrays.equals(e.getValue(), published.get(e.getKey())));
        }, Duration.ofSeconds(30));
        for (final Map.Entry<String, float[]> row : bank.entrySet()) {
            assertArrayEquals(row.getValue(), published.get(row.getKey()), "features of " + row.getKey());
        }
    }
}
