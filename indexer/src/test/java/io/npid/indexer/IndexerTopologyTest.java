package io.npid.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.indexer.internals.KnnPartial;
import io.npid.indexer.internals.QueryMeta;
import io.npid.indexer.knn.Candidate;
import io.npid.indexer.knn.KnnVote;
import io.npid.schemas.ClassName;
import io.npid.schemas.DeadLetterReason;
import io.npid.schemas.event.ClassScore;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.Neighbour;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.serde.EventSerde;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexerTopologyTest {

    private static final Map<String, String> DIM4 = Map.of(IndexerConfig.DIMENSION_CONFIG, "4");

    @TempDir
    Path stateDir;

    private IndexerDriver driver;

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private IndexerDriver start(final Map<String, String> settings) {
        driver = new IndexerDriver(stateDir, settings);
        return driver;
    }

    private static float[] v(final float... values) {
        return values;
    }

    private static List<String> ids(final ClassificationResult result) {
        return result.getNeighbours().stream().map(Neighbour::getId).toList();
    }

    private static <T> T only(final List<T> results) {
        assertEquals(1, results.size(), "exactly one result: " + results);
        return results.get(0);
    }

    @Test
    void shouldVoteLikeTheGoldenReference() throws IOException {
        final JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/knn_vote.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        final IndexerDriver d = start(Map.of(
                IndexerConfig.DIMENSION_CONFIG,
                golden.get("dim").asText(),
                IndexerConfig.K_CONFIG,
                golden.get("k").asText(),
                IndexerConfig.TEMPERATURE_CONFIG,
                golden.get("temperature").asText()));
        final JsonNode train = golden.get("train_features");
        for (int i = 0; i < train.size(); i++) {
            d.feature("t" + i, row(train.get(i)), null);
            // Legacy int labels: class "3" for label 3.
            d.label("t" + i, golden.get("train_labels").get(i).asInt());
        }
        final JsonNode queries = golden.get("queries");
        for (int q = 0; q < queries.size(); q++) {
            d.query("q" + q, row(queries.get(q)), 0);
        }

        final List<ClassificationResult> results = d.results();
        assertEquals(queries.size(), results.size());
        for (int q = 0; q < queries.size(); q++) {
            final ClassificationResult result = results.get(q);
            assertEquals("q" + q, result.getQueryId());
            assertEquals(ResultStatus.OK, result.getStatus());
            assertEquals(golden.get("predictions").get(q).asInt(), result.getLabel(), "query " + q);
            assertEquals(golden.get("predictions").get(q).asText(), result.getClassName(), "query " + q);
            assertEquals(golden.get("k").asInt(), result.getNeighbours().size());
            for (int i = 0; i < result.getNeighbours().size(); i++) {
                assertEquals(
                        "t" + golden.get("top_indices").get(q).get(i).asInt(),
                        result.getNeighbours().get(i).getId(),
                        "query " + q + " neighbour " + i);
            }
            double diff = 0;
            double ref = 0;
            for (int c = 0; c < golden.get("classes").asInt(); c++) {
                final double expected = golden.get("class_scores").get(q).get(c).asDouble();
                final int cls = c;
                final double actual = result.getScores().stream()
                        .filter(s -> s.getLabel() == cls)
                        .mapToDouble(s -> s.getScore())
                        .findFirst()
                        .orElse(0);
                diff += (actual - expected) * (actual - expected);
                ref += expected * expected;
            }
            assertTrue(Math.sqrt(diff / ref) < 1e-5, "query " + q + " relative error " + Math.sqrt(diff / ref));
            assertEquals(1, result.getPartitionsAnswered());
            assertEquals(1, result.getPartitionsTotal());
            assertEquals(7, result.getModelVersion());
            assertEquals(100, result.getQueryTimestampMs());
            assertEquals(200, result.getEmbeddedTimestampMs());
        }
    }

    private static float[] row(final JsonNode node) {
        final float[] values = new float[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) node.get(i).asDouble();
        }
        return values;
    }

    @Test
    void shouldSendBadFeaturesToDeadLettersAndKeepRunning() {
        final IndexerDriver d = start(DIM4);
        d.feature("nan", v(1, Float.NaN, 0, 0), 1);
        d.feature("inf", v(1, Float.POSITIVE_INFINITY, 0, 0), 1);
        d.feature("short", v(1, 0, 0), 1);
        d.feature("zero", v(0, 0, 0, 0), 1);
        d.rawFeature("junk".getBytes(StandardCharsets.UTF_8), "not avro at all".getBytes(StandardCharsets.UTF_8));
        d.rawFeature(
                "label".getBytes(StandardCharsets.UTF_8),
                EventSerde.of(LabelEvent.class)
                        .encode(LabelEvent.newBuilder()
                                .setId("label")
                                .setLabel(1)
                                .build()));
        d.rawFeature(null, new byte[] {1});
        d.feature("negative", v(1, 0, 0, 0), -3);
        d.feature("blank", v(1, 0, 0, 0), 0, " ");

        final List<DeadLetter> letters = d.deadLetters();
        assertEquals(
                List.of(
                        "nan-vector",
                        "nan-vector",
                        "wrong-dimension",
                        "zero-vector",
                        "corrupt-header",
                        "unknown-schema",
                        DeadLetterReason.NULL_KEY.code(),
                        ClassName.NEGATIVE_LABEL,
                        ClassName.BAD_CLASS_NAME),
                letters.stream().map(DeadLetter::getReason).toList());
        assertTrue(
                letters.get(8).getDetail().contains("feature blank")
                        && letters.get(8).getDetail().contains("blank"),
                letters.get(8).getDetail());
        final DeadLetter first = letters.get(0);
        assertEquals(driver.config().topics().features().name(), first.getSourceTopic());
        assertEquals("indexer", first.getProcess());
        assertEquals("nan", StandardCharsets.UTF_8.decode(first.getKey()).toString());
        assertTrue(first.getDetail().contains("NaN at index 1"), first.getDetail());

        // Still running: a good feature and a query go through.
        d.feature("good", v(0, 1, 0, 0), 2);
        d.query("q", v(0, 1, 0, 0), 5);
        final ClassificationResult result = only(d.results());
        assertEquals(ResultStatus.OK, result.getStatus());
        assertEquals(List.of("good"), ids(result), "rejected rows never entered the index");
    }

    @Test
    void shouldAnswerABadQueryWithAnErrorAndADeadLetter() {
        final IndexerDriver d = start(Map.of(IndexerConfig.DIMENSION_CONFIG, "4", IndexerConfig.K_MAX_CONFIG, "300"));
        d.feature("a", v(1, 0, 0, 0), 1);
        d.query("nan", v(Float.NaN, 0, 0, 0), 5);
        d.query("dim", v(1, 0, 0, 0, 0), 5);
        d.query("big-k", v(1, 0, 0, 0), 301);
        d.rawQuery("junk".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 1, 2});

        assertEquals(
                List.of("nan-vector", "wrong-dimension", DeadLetterReason.INVALID_K.code(), "corrupt-header"),
                d.deadLetters().stream().map(DeadLetter::getReason).toList());
        final List<ClassificationResult> errors = d.results();
        assertEquals(
                List.of("nan", "dim", "big-k"),
                errors.stream().map(ClassificationResult::getQueryId).toList(),
                "an undecodable query has no id to answer");
        for (final ClassificationResult error : errors) {
            assertEquals(ResultStatus.ERROR, error.getStatus());
            assertNull(error.getLabel());
        }
        assertTrue(
                errors.get(2).getError().startsWith("invalid-k: "),
                errors.get(2).getError());
    }

    @Test
    void shouldAnswerNoLabelledRowsUntilALateLabelArrives() {
        final IndexerDriver d = start(DIM4);
        d.feature("a", v(1, 0, 0, 0), null);
        d.feature("b", v(0, 1, 0, 0), null);
        d.query("before", v(1, 0.1f, 0, 0), 10);

        final ClassificationResult before = only(d.results());
        assertEquals(ResultStatus.NO_LABELLED_ROWS, before.getStatus());
        assertNull(before.getLabel());
        assertTrue(before.getNeighbours().isEmpty());

        d.label("b", 4);
        d.query("after", v(1, 0.1f, 0, 0), 10);
        final ClassificationResult after = only(d.results());
        assertEquals(ResultStatus.OK, after.getStatus());
        assertEquals(4, after.getLabel(), "the late label makes b vote; unlabelled a does not");
        assertEquals(List.of("b"), ids(after));
    }

    @Test
    void shouldLetALabelThatCameBeforeItsFeatureVoteAsTheClassNamedByItsNumber() {
        final IndexerDriver d = start(DIM4);
        d.label("early", 3);
        d.query("q1", v(1, 0, 0, 0), 10);
        assertEquals(ResultStatus.NO_LABELLED_ROWS, only(d.results()).getStatus());

        d.feature("early", v(1, 0, 0, 0), null);
        d.query("q2", v(1, 0, 0, 0), 10);
        final ClassificationResult result = only(d.results());
        assertEquals(1.0f, result.getNeighbours().get(0).getSimilarity(), 1e-6f);
        // A legacy int-only label is class "3" throughout, with the number kept in the int fields.
        assertEquals("3", result.getClassName());
        assertEquals(3, result.getLabel());
        assertEquals(List.of(new ClassScore(3, Math.exp(1.0 / KnnVote.DEFAULT_TEMPERATURE), "3")), result.getScores());
        assertEquals(List.of(new Neighbour("early", 1.0f, 3, "3")), result.getNeighbours());
    }

    @Test
    void shouldNeverMixClassesOfTwoDataSetsThatShareANumber() {
        // A user's folders (bag = 0) next to Fashion-MNIST (T-shirt/top = 0): the same int label, two classes.
        final IndexerDriver d = start(DIM4);
        d.feature("bag-1", v(1, 0, 0, 0), null);
        d.feature("bag-2", v(0.9f, 0.1f, 0, 0), null);
        d.feature("shirt-1", v(0.8f, 0.2f, 0, 0), null);
        d.feature("shirt-2", v(0, 1, 0, 0), null);
        d.feature("shirt-3", v(0.85f, 0.15f, 0, 0), null);
        d.label("bag-1", 0, "bag");
        d.label("bag-2", 0, "bag");
        d.label("shirt-1", 0, "T-shirt/top");
        d.label("shirt-2", 0, "T-shirt/top");
        d.feature("shirt-3", v(0.85f, 0.15f, 0, 0), 0, "T-shirt/top");
        d.query("near-bags", v(1, 0, 0, 0), 4);

        final ClassificationResult result = only(d.results());
        assertEquals(ResultStatus.OK, result.getStatus());
        assertEquals("bag", result.getClassName());
        assertNull(result.getLabel(), "\"bag\" is not a number");
        assertEquals(List.of("bag-1", "bag-2", "shirt-3", "shirt-1"), ids(result));
        assertEquals(
                List.of("bag", "bag", "T-shirt/top", "T-shirt/top"),
                result.getNeighbours().stream().map(Neighbour::getClassName).toList());
        assertTrue(result.getNeighbours().stream().allMatch(n -> n.getLabel() == -1), "no number for a name");
        final double t = KnnVote.DEFAULT_TEMPERATURE;
        final double bag = exp(result, 0, t) + exp(result, 1, t);
        final double shirt = exp(result, 2, t) + exp(result, 3, t);
        assertEquals(
                List.of("T-shirt/top", "bag"),
                result.getScores().stream().map(ClassScore::getClassName).toList(),
                "classes in name order");
        assertEquals(shirt, result.getScores().get(0).getScore(), shirt * 1e-12);
        assertEquals(bag, result.getScores().get(1).getScore(), bag * 1e-12, "only the bag neighbours count for it");
        assertEquals(-1, result.getScores().get(1).getLabel());
    }

    @Test
    void shouldDeadLetterABlankClassNameAndKeepTheRowUnlabelled() {
        final IndexerDriver d = start(DIM4);
        d.feature("a", v(1, 0, 0, 0), null);
        d.label("a", 2, " \t ");
        final DeadLetter letter = only(d.deadLetters());
        assertEquals(ClassName.BAD_CLASS_NAME, letter.getReason());
        assertEquals(driver.config().topics().labels().name(), letter.getSourceTopic());
        assertTrue(letter.getDetail().contains("label a") && letter.getDetail().contains("blank"), letter.getDetail());

        d.query("q", v(1, 0, 0, 0), 10);
        assertEquals(ResultStatus.NO_LABELLED_ROWS, only(d.results()).getStatus(), "the int label 2 was not used");
    }

    private static double exp(final ClassificationResult result, final int neighbour, final double t) {
        return Math.exp(result.getNeighbours().get(neighbour).getSimilarity() / t);
    }

    @Test
    void shouldRemoveAnImageOnAFeatureTombstoneAndStopItVotingOnALabelTombstone() {
        final IndexerDriver d = start(DIM4);
        d.feature("a", v(1, 0, 0, 0), 1);
        d.feature("b", v(0.9f, 0.1f, 0, 0), 2);
        d.feature("c", v(0, 1, 0, 0), 2);
        d.removeFeature("a");
        d.query("q1", v(1, 0, 0, 0), 10);
        assertEquals(List.of("b", "c"), ids(only(d.results())));

        d.removeLabel("b");
        d.query("q2", v(1, 0, 0, 0), 10);
        assertEquals(List.of("c"), ids(only(d.results())));

        d.feature("a", v(1, 0, 0, 0), null);
        d.query("q3", v(1, 0, 0, 0), 10);
        assertEquals(List.of("c"), ids(only(d.results())), "a re-added image has lost its old label");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "int8", "hnsw", "auto"})
    void shouldApplyUpdatesTombstonesAndLabelsInEveryIndexForm(final String form) {
        // auto with a threshold of 2 rows switches to the graph while the features arrive.
        final IndexerDriver d = start(Map.of(
                IndexerConfig.DIMENSION_CONFIG,
                "4",
                IndexerConfig.INDEX_CONFIG,
                form,
                IndexerConfig.ANN_MIN_ROWS_CONFIG,
                "2"));
        d.feature("a", v(1, 0, 0, 0), 1);
        d.feature("b", v(0.9f, 0.1f, 0, 0), 2);
        d.feature("c", v(0, 1, 0, 0), 2);
        d.feature("e", v(0, 0, 0, 1), null);
        d.feature("a", v(0, 0, 1, 0), null);
        d.query("q1", v(0, 0, 1, 0), 1);
        assertEquals(List.of("a"), ids(only(d.results())), "the updated vector is found");

        d.removeFeature("a");
        d.removeLabel("b");
        d.query("q2", v(1, 0, 0, 0), 10);
        assertEquals(List.of("c"), ids(only(d.results())), "removed and unlabelled rows do not vote");
    }

    @Test
    void shouldUpdateAVectorInPlaceAndUseTheLatest() {
        final IndexerDriver d = start(DIM4);
        d.feature("a", v(1, 0, 0, 0), 1);
        d.feature("b", v(0, 1, 0, 0), 2);
        d.feature("a", v(0, 0, 1, 0), null);
        d.query("q", v(0, 0, 1, 0), 1);
        final ClassificationResult result = only(d.results());
        assertEquals(List.of("a"), ids(result));
        assertEquals(1, result.getLabel(), "the update kept a's label");
    }

    @Test
    void shouldAnswerPartialWhenAShardDoesNotAnswerInTime() {
        // The registry says 2 partitions; the test driver has one, so partition 1 never answers.
        final IndexerDriver d = start(Map.of(
                IndexerConfig.DIMENSION_CONFIG,
                "4",
                io.npid.schemas.Topics.TOPIC_PARTITIONS_CONFIG,
                "2",
                IndexerConfig.MERGE_TIMEOUT_MS_CONFIG,
                "500"));
        d.feature("a", v(1, 0, 0, 0), 1);
        d.query("q", v(1, 0, 0, 0), 10);
        d.advance(Duration.ofMillis(300));
        assertTrue(d.results().isEmpty(), "still waiting for partition 1");

        d.advance(Duration.ofMillis(300));
        final ClassificationResult result = only(d.results());
        assertEquals(ResultStatus.PARTIAL, result.getStatus());
        assertEquals(1, result.getLabel());
        assertEquals(1, result.getPartitionsAnswered());
        assertEquals(2, result.getPartitionsTotal());

        d.advance(Duration.ofSeconds(5));
        assertTrue(d.results().isEmpty(), "answered once");
    }

    @Test
    void shouldMergePartialsFromEveryPartitionAndIgnoreRepeats() {
        final IndexerDriver d =
                start(Map.of(IndexerConfig.DIMENSION_CONFIG, "4", io.npid.schemas.Topics.TOPIC_PARTITIONS_CONFIG, "3"));
        final QueryMeta meta = new QueryMeta("q", "r-1", 3, 9, "reply-to", 1, 2);
        d.partial(new KnnPartial(meta, 0, 3, 2, List.of(new Candidate("a", 0.9f, "1"), new Candidate("b", 0.2f, "2"))));
        d.partial(new KnnPartial(meta, 0, 3, 2, List.of(new Candidate("a", 0.9f, "1"), new Candidate("b", 0.2f, "2"))));
        d.partial(new KnnPartial(meta, 2, 3, 1, List.of(new Candidate("c", 0.5f, "2"))));
        assertTrue(d.results().isEmpty(), "partition 1 has not answered; the repeat of 0 does not count");

        d.partial(new KnnPartial(meta, 1, 3, 0, List.of()));
        final ClassificationResult result = only(d.results());
        assertEquals(List.of("a", "c", "b"), ids(result));
        assertEquals(ResultStatus.OK, result.getStatus());
        assertEquals("reply-to", result.getReplyKey());
        assertEquals(3, result.getPartitionsAnswered());

        d.partial(new KnnPartial(meta, 1, 3, 0, List.of()));
        d.advance(Duration.ofSeconds(30));
        assertTrue(d.results().isEmpty(), "a late repeat after the answer is dropped");

        final QueryMeta again = new QueryMeta("q", "r-2", 3, 9, "reply-to", 1, 99);
        for (int p = 0; p < 3; p++) {
            d.partial(new KnnPartial(again, p, 3, 0, List.of(new Candidate("d" + p, 0.1f * p, "0"))));
        }
        assertEquals(
                List.of("d2", "d1", "d0"),
                ids(only(d.results())),
                "the same query id in another request is answered afresh");
    }

    /**
     * Issue 13, fault 5: two different images sent back to back under one query id, scored in one batch. Each
     * request gets its own full answer, from its own neighbours, and carries its request id; before request ids
     * the second shared the first's merge state and was dropped or answered PARTIAL.
     */
    @Test
    void shouldAnswerTwoQueriesUnderOneQueryIdApart() {
        final IndexerDriver d = start(Map.of(
                IndexerConfig.DIMENSION_CONFIG,
                "4",
                IndexerConfig.QUERY_BATCH_LAG_MS_CONFIG,
                "10",
                IndexerConfig.QUERY_BATCH_MAX_CONFIG,
                "8"));
        d.feature("a", v(1, 0, 0, 0), 1);
        d.feature("b", v(0, 1, 0, 0), 2);
        final java.time.Instant old = d.now().minusSeconds(1);
        d.query("same", v(1, 0, 0, 0), 1, old); // no request id: the indexer derives one from the record
        d.query("same", v(0, 1, 0, 0), 1, old);
        d.query("same", "client-uuid-1", v(1, 0, 0, 0), 1, old);
        d.query("same", "client-uuid-2", v(0, 1, 0, 0), 1, old);
        d.advance(Duration.ofMillis(1));
        d.advance(Duration.ofMillis(1));

        final List<ClassificationResult> results = d.results();
        assertEquals(4, results.size(), "one answer per request");
        assertEquals(
                List.of("a", "b", "a", "b"),
                results.stream().map(r -> r.getNeighbours().get(0).getId()).toList(),
                "each request is answered from its own image");
        results.forEach(r -> {
            assertEquals(ResultStatus.OK, r.getStatus());
            assertEquals("same", r.getQueryId());
            assertEquals(r.getPartitionsTotal(), r.getPartitionsAnswered());
        });
        assertEquals(
                4,
                results.stream()
                        .map(ClassificationResult::getRequestId)
                        .distinct()
                        .count());
        assertTrue(
                results.get(0).getRequestId().endsWith("query-vectors-0-0"),
                results.get(0).getRequestId());
        assertEquals("client-uuid-2", results.get(3).getRequestId());

        d.advance(Duration.ofSeconds(30));
        assertTrue(d.results().isEmpty(), "nothing is answered twice");
    }

    @Test
    void shouldHoldQueriesThatArriveBehindAndScoreThemTogether() {
        final IndexerDriver d = start(Map.of(
                IndexerConfig.DIMENSION_CONFIG,
                "4",
                IndexerConfig.QUERY_BATCH_LAG_MS_CONFIG,
                "10",
                IndexerConfig.QUERY_BATCH_MAX_CONFIG,
                "3"));
        d.feature("a", v(1, 0, 0, 0), 1);
        d.feature("b", v(0, 1, 0, 0), 2);
        final java.time.Instant old = d.now().minusSeconds(1);
        d.query("q1", v(1, 0, 0, 0), 1, old);
        d.query("q2", v(0, 1, 0, 0), 1, old);
        assertTrue(d.results().isEmpty(), "old queries wait for the batch");

        d.advance(Duration.ofMillis(1));
        assertTrue(d.results().isEmpty(), "queries came in since the last punctuation: the batch may still grow");
        d.advance(Duration.ofMillis(1));
        final List<ClassificationResult> batch = d.results();
        assertEquals(
                List.of(1, 2),
                batch.stream().map(ClassificationResult::getLabel).toList());

        d.query("q3", v(1, 0, 0, 0), 1, old);
        d.query("q4", v(1, 0, 0, 0), 1, old);
        d.query("q5", v(0, 1, 0, 0), 1, old);
        assertEquals(
                List.of("q3", "q4", "q5"),
                d.results().stream().map(ClassificationResult::getQueryId).toList(),
                "a full batch goes at once");

        d.query("q6", v(0, 1, 0, 0), 1, old);
        d.query("q7", v(1, 0, 0, 0), 1);
        assertEquals(
                List.of("q6", "q7"),
                d.results().stream().map(ClassificationResult::getQueryId).toList(),
                "a fresh query takes the held ones with it");
    }

    @Test
    void shouldNotHoldABatchLongerThanTheLagWhileQueriesKeepComing() {
        final IndexerDriver d = start(Map.of(
                IndexerConfig.DIMENSION_CONFIG,
                "4",
                IndexerConfig.QUERY_BATCH_LAG_MS_CONFIG,
                "10",
                IndexerConfig.QUERY_BATCH_MAX_CONFIG,
                "64"));
        d.feature("a", v(1, 0, 0, 0), 1);
        final java.time.Instant old = d.now().minusSeconds(1);
        for (int i = 0; i < 9; i++) {
            d.query("q" + i, v(1, 0, 0, 0), 1, old);
            d.advance(Duration.ofMillis(1));
            assertTrue(d.results().isEmpty(), "still filling the batch after " + (i + 1) + " ms");
        }
        d.query("q9", v(1, 0, 0, 0), 1, old);
        d.advance(Duration.ofMillis(1));
        assertEquals(10, d.results().size(), "the whole batch once the first has waited 10 ms");
    }

    @Test
    void shouldNameEveryNodeStoreAndInternalTopic() {
        final IndexerDriver d = start(DIM4);
        final String description =
                new IndexerTopology(d.config()).build().describe().toString();
        assertFalse(description.contains("KSTREAM-"), description);
        assertFalse(description.contains("KTABLE-"), description);
        for (final String name : List.of(
                IndexerTopology.SHARD,
                IndexerTopology.SHARD_STORE,
                IndexerTopology.HELD_QUERIES_STORE,
                IndexerTopology.MERGE,
                IndexerTopology.MERGE_STORE,
                IndexerTopology.QUERY_SCATTER + "-repartition",
                IndexerTopology.KNN_PARTIALS + "-repartition")) {
            assertTrue(description.contains(name), name);
        }
    }
}
