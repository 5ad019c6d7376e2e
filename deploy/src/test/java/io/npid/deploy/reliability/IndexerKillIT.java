package io.npid.deploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.schemas.TestEvents;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.Neighbour;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.VectorCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code npid indexer} instances in child JVMs share four shards; one is SIGKILLed in the middle of a query
 * stream. Every query must get at least one result (duplicates are told apart by query id), the survivor must take
 * the killed instance's shards over, and the killed instance, restarted on its state directory, must answer like
 * before once it is the only one left (the survivor is killed in turn).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class IndexerKillIT {
    private static final int PARTITIONS = 4;
    private static final int FEATURES = 800;
    private static final int QUERIES = 240;
    private static final int K = 10;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final Map<String, float[]> features = new LinkedHashMap<>();

    @Test
    void shouldAnswerEveryQueryWhenAnIndexerInstanceIsKilledAndRestoreItsShardsOnRestart(
            @BootstrapServers final String bootstrap) throws Exception {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        final Topics topics = Topics.withPrefix(prefix).withPartitions(PARTITIONS);
        final Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(client)) {
            TopicAdmin.ensureTopics(admin, topics);
        }
        final Random random = new Random(21);
        try (RawProducer producer = new RawProducer(client);
                TopicTail<ClassificationResult> results = new TopicTail<>(
                        client,
                        topics.results().name(),
                        topics.results().valueSerde().deserializer(),
                        true);
                NpidChild a = indexer(bootstrap, prefix, "a");
                NpidChild b = indexer(bootstrap, prefix, "b")) {
            // Step 1: both instances start empty (so both get shards), then the features arrive
            a.awaitOutput("indexer: running", WAIT.toSeconds());
            b.awaitOutput("indexer: running", WAIT.toSeconds());
            for (int i = 0; i < FEATURES; i++) {
                final float[] v = TestEvents.unitVector(random, 128);
                features.put("f-" + i, v);
                producer.sendAsync(
                        topics.features().name(),
                        bytes("f-" + i),
                        topics.features()
                                .valueSerde()
                                .serializer()
                                .serialize(
                                        null,
                                        FeatureEvent.newBuilder()
                                                .setId("f-" + i)
                                                .setVector(VectorCodec.encode(v))
                                                .setLabel(i % 10)
                                                .setModelVersion(1)
                                                .setStep(0)
                                                .build()));
            }
            producer.flush();
            awaitAnsweredCompletely(producer, topics, results, "warm-up", random);

            // Step 2: a paced stream of queries; instance b is SIGKILLed after a third of them
            final List<String> ids = new ArrayList<>();
            final Map<String, float[]> vectors = new LinkedHashMap<>();
            long killedAtMs = 0;
            for (int i = 0; i < QUERIES; i++) {
                final String id = "q-" + i;
                ids.add(id);
                vectors.put(id, TestEvents.unitVector(random, 128));
                sendQuery(producer, topics, id, vectors.get(id));
                if (i == QUERIES / 3) {
                    b.kill();
                    killedAtMs = System.currentTimeMillis();
                }
                results.poll(Duration.ofMillis(20));
            }
            final boolean all = results.awaitSeen(seen -> answeredIds(seen).containsAll(ids), WAIT);
            results.poll(Duration.ofSeconds(2));
            final Map<String, List<ClassificationResult>> byId = byQueryId(results.values(), ids);
            final long missing =
                    ids.stream().filter(id -> byId.get(id).isEmpty()).count();
            final long duplicated =
                    ids.stream().filter(id -> byId.get(id).size() > 1).count();
            final long partial = ids.stream()
                    .filter(id -> byId.get(id).stream().noneMatch(r -> r.getStatus() == ResultStatus.OK))
                    .count();
            int wrong = 0;
            for (final String id : ids) {
                for (final ClassificationResult r : byId.get(id)) {
                    if (r.getStatus() == ResultStatus.OK && !neighbourIds(r).equals(bruteForce(vectors.get(id)))) {
                        wrong++;
                    }
                }
            }
            // the last queries went to the survivor alone: complete answers from all four shards
            final long survivorComplete = ids.subList(QUERIES - 20, QUERIES).stream()
                    .filter(id -> byId.get(id).stream()
                            .anyMatch(r -> r.getStatus() == ResultStatus.OK && r.getPartitionsAnswered() == PARTITIONS))
                    .count();
            final long lastAnswerMs = results.values().stream()
                    .filter(r -> ids.contains(r.getQueryId()))
                    .mapToLong(ClassificationResult::getAnsweredTimestampMs)
                    .max()
                    .orElse(0);

            // Step 3: b restarts on its state directory; then a is killed, so b alone must serve every shard
            try (NpidChild b2 = indexer(bootstrap, prefix, "b")) {
                b2.awaitOutput("indexer: running", WAIT.toSeconds());
                a.kill();
                final List<String> after = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    final String id = "after-" + i;
                    after.add(id);
                    vectors.put(id, TestEvents.unitVector(random, 128));
                    sendQuery(producer, topics, id, vectors.get(id));
                }
                final boolean restored =
                        results.awaitSeen(seen -> answeredIds(seen).containsAll(after), WAIT);
                final Map<String, List<ClassificationResult>> afterById = byQueryId(results.values(), after);
                final long afterRight = after.stream()
                        .filter(id -> afterById.get(id).stream()
                                .anyMatch(r -> r.getStatus() == ResultStatus.OK
                                        && r.getPartitionsAnswered() == PARTITIONS
                                        && neighbourIds(r).equals(bruteForce(vectors.get(id)))))
                        .count();
                Outcomes.report(
                        "indexer-kill.txt",
                        String.format(
                                java.util.Locale.ROOT,
                                "IndexerKillIT: %d features on %d shards, 2 instances; SIGKILL of b (pid %d) after %d of %d "
                                        + "queries; answered %d, missing %d, duplicated %d, without an OK answer %d, wrong OK "
                                        + "answers %d; last 20 complete from the survivor %d/20; last answer %d ms after the kill; "
                                        + "b restarted, a SIGKILLed: %d/%d later queries answered right by b alone%n",
                                FEATURES,
                                PARTITIONS,
                                b.pid(),
                                QUERIES / 3 + 1,
                                QUERIES,
                                QUERIES - missing,
                                missing,
                                duplicated,
                                partial,
                                wrong,
                                survivorComplete,
                                lastAnswerMs - killedAtMs,
                                afterRight,
                                after.size()));
                assertTrue(all, "every query answered at least once; missing " + missing);
                assertEquals(0, wrong, "every OK answer equals brute force");
                assertEquals(20, survivorComplete, "the survivor answers from every shard");
                assertTrue(restored, "the restarted instance answers");
                assertEquals(after.size(), afterRight, "the restarted instance answers like brute force");
            }
        }
    }

    private NpidChild indexer(final String bootstrap, final String prefix, final String name) throws Exception {
        return NpidChild.start(
                dir,
                "indexer-" + name,
                Map.of(),
                List.of(
                        "indexer",
                        "--bootstrap-servers",
                        bootstrap,
                        "--topic-prefix",
                        prefix,
                        "--state-dir",
                        dir.resolve("state-" + name).toString(),
                        "--application-id",
                        prefix + "indexer",
                        // a dead member's shards move after the session timeout: 6 s (the broker's minimum), not 45 s
                        "--kafka",
                        "session.timeout.ms=6000",
                        "--kafka",
                        "heartbeat.interval.ms=1000",
                        "--set",
                        "npid.indexer.merge.timeout.ms=30000"));
    }

    /** Sends probe queries until one is answered by every shard with the brute-force neighbours. */
    private void awaitAnsweredCompletely(
            final RawProducer producer,
            final Topics topics,
            final TopicTail<ClassificationResult> results,
            final String name,
            final Random random)
            throws Exception {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            final String id = name + "-" + attempt;
            final float[] v = TestEvents.unitVector(random, 128);
            sendQuery(producer, topics, id, v);
            final boolean answered = results.awaitSeen(seen -> answeredIds(seen).contains(id), WAIT);
            final ClassificationResult r = results.values().stream()
                    .filter(x -> x.getQueryId().equals(id))
                    .findFirst()
                    .orElse(null);
            if (answered
                    && r.getStatus() == ResultStatus.OK
                    && r.getPartitionsAnswered() == PARTITIONS
                    && neighbourIds(r).equals(bruteForce(v))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the indexers never answered a probe with every feature");
    }

    private static void sendQuery(
            final RawProducer producer, final Topics topics, final String id, final float[] vector) {
        final long now = System.currentTimeMillis();
        producer.sendAsync(
                topics.queryVectors().name(),
                bytes(id),
                topics.queryVectors()
                        .valueSerde()
                        .serializer()
                        .serialize(
                                null,
                                QueryVector.newBuilder()
                                        .setQueryId(id)
                                        .setVector(VectorCodec.encode(vector))
                                        .setModelVersion(1)
                                        .setK(K)
                                        .setQueryTimestampMs(now)
                                        .setEmbeddedTimestampMs(now)
                                        .build()));
    }

    private List<String> bruteForce(final float[] query) {
        return features.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, float[]> e) -> -dot(query, e.getValue())))
                .limit(K)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static double dot(final float[] a, final float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static List<String> neighbourIds(final ClassificationResult r) {
        return r.getNeighbours().stream().map(Neighbour::getId).toList();
    }

    private static java.util.Set<String> answeredIds(
            final List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], ClassificationResult>> seen) {
        final java.util.Set<String> ids = new java.util.HashSet<>();
        seen.stream()
                .filter(c -> c.value() != null)
                .forEach(c -> ids.add(c.value().getQueryId()));
        return ids;
    }

    private static Map<String, List<ClassificationResult>> byQueryId(
            final List<ClassificationResult> all, final List<String> ids) {
        final Map<String, List<ClassificationResult>> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, new ArrayList<>()));
        all.stream()
                .filter(r -> out.containsKey(r.getQueryId()))
                .forEach(r -> out.get(r.getQueryId()).add(r));
        return out;
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
