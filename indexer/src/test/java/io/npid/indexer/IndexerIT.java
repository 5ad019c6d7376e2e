package io.npid.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.indexer.knn.Candidate;
import io.npid.indexer.knn.KnnVote;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.Neighbour;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.kafka.TopicMismatch;
import io.npid.schemas.kafka.TopicMismatchException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The indexer on the embedded broker: answers equal brute force over all features, across instances and restarts. */
@ExtendWith(EmbeddedKafkaExtension.class)
class IndexerIT {

    private static final int IMAGES = 600;
    private static final int K = 20;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateDirs;

    private static Map<String, float[]> queries(final String prefix, final int count, final long seed) {
        final Random random = new Random(seed);
        final Map<String, float[]> queries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            queries.put(prefix + i, IndexerFixture.randomUnit(random));
        }
        return queries;
    }

    /** Sends the queries, waits for their results and checks each against brute force. */
    private static Map<String, List<ClassificationResult>> askAndCheck(
            final IndexerFixture fixture, final Map<String, float[]> queries, final int partitions) {
        queries.forEach((id, vector) -> fixture.query(id, vector, K));
        final Map<String, List<ClassificationResult>> results =
                fixture.awaitResults(new ArrayList<>(queries.keySet()), WAIT);
        queries.forEach((id, vector) -> checkAgainstBruteForce(fixture, id, vector, results.get(id), partitions));
        return results;
    }

    private static void checkAgainstBruteForce(
            final IndexerFixture fixture,
            final String id,
            final float[] vector,
            final List<ClassificationResult> answers,
            final int partitions) {
        assertTrue(answers != null && answers.size() == 1, "one result for " + id + ": " + answers);
        final ClassificationResult result = answers.get(0);
        final List<Candidate> expected = fixture.expectedNeighbours(vector, K);
        assertEquals(ResultStatus.OK, result.getStatus(), id);
        assertEquals(partitions, result.getPartitionsAnswered(), id);
        assertEquals(partitions, result.getPartitionsTotal(), id);
        assertEquals(
                expected.stream().map(Candidate::id).toList(),
                result.getNeighbours().stream().map(Neighbour::getId).toList(),
                id);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(
                    expected.get(i).similarity(), result.getNeighbours().get(i).getSimilarity(), id);
            assertEquals(
                    expected.get(i).className(), result.getNeighbours().get(i).getClassName(), id);
        }
        assertEquals(new KnnVote(KnnVote.DEFAULT_TEMPERATURE).vote(expected).className(), result.getClassName(), id);
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 4})
    void shouldAnswerLikeBruteForceOverAllFeatures(final int partitions, @BootstrapServers final String bootstrap)
            throws InterruptedException {
        try (IndexerFixture fixture = new IndexerFixture(bootstrap, partitions, IMAGES, partitions)) {
            final KafkaStreams streams = fixture.start(fixture.settings(stateDirs.resolve("a")));
            IndexerFixture.awaitRunning(List.of(streams), WAIT);
            fixture.produceAll();
            fixture.awaitIngested(WAIT);

            askAndCheck(fixture, queries("q", 30, 100 + partitions), partitions);
        }
    }

    @Test
    void shouldRefuseToStartOnLabelsWithAnotherPartitionCount(@BootstrapServers final String bootstrap) {
        final Topics topics =
                Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix()).withPartitions(4);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            final List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
            specs.set(specs.indexOf(topics.labels()), topics.labels().withPartitions(2));
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(specs);

            final TopicMismatchException e = assertThrows(
                    TopicMismatchException.class, () -> IndexerApp.verifyTopics(admin, topics, Duration.ofSeconds(30)));
            assertEquals(List.of(new TopicMismatch(topics.labels().name(), "partitions", "4", "2")), e.mismatches());
        }
    }

    @Test
    void shouldAnswerLikeBruteForceExactlyOnce(@BootstrapServers final String bootstrap) throws InterruptedException {
        try (IndexerFixture fixture = new IndexerFixture(bootstrap, 2, IMAGES, 21)) {
            final Map<String, Object> settings = fixture.settings(stateDirs.resolve("eos"));
            settings.put(IndexerConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2");
            final KafkaStreams streams = fixture.start(settings);
            IndexerFixture.awaitRunning(List.of(streams), WAIT);
            fixture.produceAll();
            fixture.awaitIngested(WAIT);

            askAndCheck(fixture, queries("q", 20, 23), 2);
        }
    }

    /**
     * Issue 13, fault 5: two different vectors sent back to back under one query id, with request ids (clients
     * that make one per send) and without (embedders from before request ids, named by their record): every
     * request gets one full answer from its own vector, never a PARTIAL mixture.
     */
    @Test
    void shouldAnswerTwoQueriesUnderOneQueryIdApart(@BootstrapServers final String bootstrap)
            throws InterruptedException {
        try (IndexerFixture fixture = new IndexerFixture(bootstrap, 2, IMAGES, 31)) {
            final KafkaStreams streams = fixture.start(fixture.settings(stateDirs.resolve("same-id")));
            IndexerFixture.awaitRunning(List.of(streams), WAIT);
            fixture.produceAll();
            fixture.awaitIngested(WAIT);

            final Map<String, float[]> firsts = queries("first", 6, 32);
            final Map<String, float[]> seconds = queries("second", 6, 33);
            final List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                final String id = "same-" + i;
                ids.add(id);
                final boolean withRequestIds = i % 2 == 0;
                fixture.queryUnflushed(id, withRequestIds ? id + "-a" : null, firsts.get("first" + i), K);
                fixture.queryUnflushed(id, withRequestIds ? id + "-b" : null, seconds.get("second" + i), K);
            }
            fixture.flush();

            final Map<String, List<ClassificationResult>> found = new LinkedHashMap<>();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (!ids.stream()
                            .allMatch(id -> found.getOrDefault(id, List.of()).size() >= 2)
                    && System.nanoTime() < deadline) {
                fixture.pollInto(found, Duration.ofMillis(200));
            }
            for (int i = 0; i < 6; i++) {
                final List<ClassificationResult> answers = found.get("same-" + i);
                assertTrue(answers != null && answers.size() == 2, "two answers for same-" + i + ": " + answers);
                final String firstTop = fixture.expectedNeighbours(firsts.get("first" + i), K)
                        .get(0)
                        .id();
                final ClassificationResult a =
                        answers.get(0).getNeighbours().get(0).getId().equals(firstTop)
                                ? answers.get(0)
                                : answers.get(1);
                final ClassificationResult b = answers.get(0) == a ? answers.get(1) : answers.get(0);
                checkAgainstBruteForce(fixture, "same-" + i, firsts.get("first" + i), List.of(a), 2);
                checkAgainstBruteForce(fixture, "same-" + i, seconds.get("second" + i), List.of(b), 2);
                assertTrue(
                        a.getRequestId() != null && !a.getRequestId().equals(b.getRequestId()),
                        a.getRequestId() + " vs " + b.getRequestId());
                if (i % 2 == 0) {
                    assertEquals("same-" + i + "-a", a.getRequestId());
                }
            }
        }
    }

    @Test
    void shouldShareFourPartitionsBetweenTwoInstances(@BootstrapServers final String bootstrap)
            throws InterruptedException {
        try (IndexerFixture fixture = new IndexerFixture(bootstrap, 4, IMAGES, 5)) {
            // Both start empty, so the assignor spreads the stateful tasks over both at once.
            final KafkaStreams a = fixture.start(fixture.settings(stateDirs.resolve("a")));
            final KafkaStreams b = fixture.start(fixture.settings(stateDirs.resolve("b")));
            IndexerFixture.awaitRunning(List.of(a, b), WAIT);
            assertTrue(
                    a.metadataForLocalThreads().stream()
                                    .anyMatch(t -> !t.activeTasks().isEmpty())
                            && b.metadataForLocalThreads().stream()
                                    .anyMatch(t -> !t.activeTasks().isEmpty()),
                    "both instances own tasks");
            fixture.produceAll();
            fixture.awaitIngested(WAIT);

            askAndCheck(fixture, queries("q", 30, 7), 4);
        }
    }

    @Test
    void shouldAnswerEveryQueryWhenAnInstanceStopsMidStream(@BootstrapServers final String bootstrap)
            throws InterruptedException {
        try (IndexerFixture fixture = new IndexerFixture(bootstrap, 4, IMAGES, 9)) {
            final KafkaStreams a = fixture.start(fixture.settings(stateDirs.resolve("a")));
            final KafkaStreams b = fixture.start(fixture.settings(stateDirs.resolve("b")));
            IndexerFixture.awaitRunning(List.of(a, b), WAIT);
            fixture.produceAll();
            fixture.awaitIngested(WAIT);

            // Step 1: a stream of queries; Step 2: instance b stops half-way; Step 3: the rest keep coming.
            final Map<String, float[]> queries = queries("q", 60, 11);
            final Map<String, List<ClassificationResult>> results = new LinkedHashMap<>();
            int sent = 0;
            for (final Map.Entry<String, float[]> query : queries.entrySet()) {
                fixture.query(query.getKey(), query.getValue(), K);
                if (++sent == queries.size() / 2) {
                    IndexerFixture.stop(b);
                }
                fixture.pollInto(results, Duration.ofMillis(20));
            }
            fixture.awaitResults(results, new ArrayList<>(queries.keySet()), WAIT);
            // A little longer, to catch a second answer to any query.
            fixture.pollInto(results, Duration.ofSeconds(2));
            queries.forEach((id, vector) -> checkAgainstBruteForce(fixture, id, vector, results.get(id), 4));
        }
    }

    @Test
    void shouldRestoreShardsOnRestartAndApplyTombstonesAndLateLabels(@BootstrapServers final String bootstrap)
            throws InterruptedException {
        try (IndexerFixture fixture = new IndexerFixture(bootstrap, 2, IMAGES, 13)) {
            final Map<String, Object> settings = fixture.settings(stateDirs.resolve("first"));
            final KafkaStreams first = fixture.start(settings);
            IndexerFixture.awaitRunning(List.of(first), WAIT);
            fixture.produceAll();
            fixture.awaitIngested(WAIT);
            final Map<String, float[]> queries = queries("before-", 20, 17);
            askAndCheck(fixture, queries, 2);
            IndexerFixture.stop(first);

            // A new instance with an empty state directory: its shards come back from the changelogs.
            final KafkaStreams second = fixture.start(fixture.settings(stateDirs.resolve("second")));
            IndexerFixture.awaitRunning(List.of(second), WAIT);
            final Map<String, float[]> again = new LinkedHashMap<>();
            queries.forEach((id, vector) -> again.put(id.replace("before-", "after-"), vector));
            askAndCheck(fixture, again, 2);

            // A tombstone removes the best match of a query; a late label makes an unlabelled image vote.
            final float[] probe = queries.values().iterator().next();
            final int best = Integer.parseInt(
                    fixture.expectedNeighbours(probe, 1).get(0).id().substring(4));
            fixture.removeFeature(best);
            fixture.labels[best] = -1;
            final int unlabelled = 9;
            fixture.labels[unlabelled] = 3;
            fixture.label(unlabelled);
            fixture.awaitIngested(WAIT);
            final Map<String, float[]> updated = new LinkedHashMap<>();
            updated.put("removed", probe);
            updated.put("late-label", fixture.features[unlabelled]);
            final Map<String, List<ClassificationResult>> results = askAndCheck(fixture, updated, 2);
            assertEquals(
                    "img-" + unlabelled,
                    results.get("late-label").get(0).getNeighbours().get(0).getId());
            assertTrue(results.get("removed").get(0).getNeighbours().stream()
                    .noneMatch(n -> n.getId().equals("img-" + best)));
        }
    }
}
