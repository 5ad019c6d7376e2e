package io.npid.trainer.embed;

import static io.npid.trainer.stream.StreamFixtures.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.schemas.DeadLetterReason;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.VectorCodec;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.LabelledImages;
import io.npid.trainer.stream.StreamFixtures;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.TrainerConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbedderServiceIT {
    private static final LabelledImages DATA = Datasets.synthetic(20, 11);
    private static final Duration LONG = Duration.ofSeconds(60);
    private static NpidLearner learner;
    private static NpidLearner other;

    private String bootstrap;
    private Topics topics;
    private Map<String, Object> settings;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void createModels() {
        final TrainerConfig config = new TrainerConfig(Map.of("npid.device", "cpu", "npid.threads", "1"));
        learner = NpidLearner.create(config, 1, 28);
        other = NpidLearner.create(config.with(Map.of("npid.seed", "99")), 1, 28);
    }

    @AfterAll
    static void closeModels() {
        learner.close();
        other.close();
    }

    @BeforeEach
    void setUp(@BootstrapServers final String bootstrap) {
        this.bootstrap = bootstrap;
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        this.topics = Topics.withPrefix(prefix).withPartitions(2);
        this.settings = new HashMap<>(Map.of(
                "bootstrap.servers",
                bootstrap,
                Topics.TOPIC_PREFIX_CONFIG,
                prefix,
                Topics.TOPIC_PARTITIONS_CONFIG,
                "2",
                EmbedderConfig.DEFAULT_K_CONFIG,
                "7",
                EmbedderConfig.MAX_BATCH_SIZE_CONFIG,
                "4",
                EmbedderConfig.GROUP_ID_CONFIG,
                prefix + "embedder"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicAdmin.ensureTopics(admin, topics);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = StreamFixtures.producer(bootstrap);
        }
        return producer;
    }

    @org.junit.jupiter.api.AfterEach
    void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    private void publish(final NpidLearner model, final long version, final byte[] parameters) throws Exception {
        final ModelCheckpoint checkpoint = ModelCheckpoint.newBuilder()
                .setModelName("npid")
                .setVersion(version)
                .setBackbone(model.config().backbone())
                .setStep(version * 10)
                .setConfig(model.encoderConfig())
                .setParameters(ByteBuffer.wrap(parameters))
                .build();
        StreamFixtures.sendAll(
                producer(),
                List.of(new ProducerRecord<>(
                        topics.checkpoints().name(),
                        key("npid"),
                        EventSerde.of(ModelCheckpoint.class).encode(checkpoint))));
    }

    private ProducerRecord<byte[], byte[]> query(
            final String id, final DecodedImage image, final Integer k, final String replyKey) {
        final QueryEvent event = QueryEvent.newBuilder()
                .setQueryId(id)
                .setImage(StreamFixtures.raw(image))
                .setK(k)
                .setReplyKey(replyKey)
                .setTimestampMs(System.currentTimeMillis())
                .build();
        return new ProducerRecord<>(
                topics.queries().name(),
                key(id),
                EventSerde.of(QueryEvent.class).encode(event));
    }

    private Map<String, QueryVector> vectors(final int count) {
        final Map<String, QueryVector> vectors = new HashMap<>();
        StreamFixtures.readUntil(
                bootstrap,
                topics.queryVectors().name(),
                records -> {
                    records.forEach(r -> vectors.put(
                            new String(r.key()),
                            EventSerde.of(QueryVector.class).decode(r.value())));
                    return vectors.size() >= count;
                },
                LONG);
        return vectors;
    }

    @Test
    void shouldAnswerQueriesWithVectorsAndBadQueriesWithErrorResultsAndDeadLetters() throws Exception {
        publish(learner, 1, learner.encoderParameters());
        try (EmbedderService embedder = EmbedderService.start(new EmbedderConfig(settings), null)) {
            // Step 1: ten good queries (one with k and a reply key) and six bad ones.
            final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                records.add(query("q-" + i, DATA.images().get(i), i == 3 ? 5 : null, i == 3 ? "client-a" : null));
            }
            final String queries = topics.queries().name();
            records.add(new ProducerRecord<>(queries, key("bad-bytes"), new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}));
            records.add(new ProducerRecord<>(queries, key("tomb"), null));
            records.add(query("k-zero", DATA.images().get(0), 0, "client-b"));
            final ProducerRecord<byte[], byte[]> good =
                    query("no-key", DATA.images().get(1), null, null);
            records.add(new ProducerRecord<>(queries, null, good.value()));
            final DecodedImage bad = new DecodedImage(3, 3, 1, new byte[9]);
            final QueryEvent mismatch = QueryEvent.newBuilder()
                    .setQueryId("raw")
                    .setTimestampMs(1)
                    .setImage(StreamFixtures.raw(bad))
                    .build();
            mismatch.getImage().setWidth(4);
            records.add(new ProducerRecord<>(
                    queries, key("raw"), EventSerde.of(QueryEvent.class).encode(mismatch)));
            records.add(new ProducerRecord<>(queries, null, new byte[0]));
            StreamFixtures.sendAll(producer(), records);

            // Step 2: every good query has its vector, the same the encoder gives, under model version 1.
            final Map<String, QueryVector> vectors = vectors(10);
            assertEquals(10, vectors.size());
            try (Encoder encoder =
                    Encoder.load(learner.config().backbone(), learner.encoderConfig(), learner.encoderParameters())) {
                for (int i = 0; i < 10; i++) {
                    final QueryVector vector = vectors.get("q-" + i);
                    assertEquals(1, vector.getModelVersion());
                    assertEquals(i == 3 ? 5 : 7, vector.getK());
                    assertEquals(i == 3 ? "client-a" : null, vector.getReplyKey());
                    assertTrue(vector.getEmbeddedTimestampMs() >= vector.getQueryTimestampMs());
                    final float[] expected = encoder.embed(List.of(DATA.images().get(i)));
                    final float[] actual = VectorCodec.decode(vector.getVector());
                    assertEquals(128, actual.length);
                    for (int d = 0; d < expected.length; d++) {
                        assertEquals(expected[d], actual[d], 1e-4, "q-" + i + " dimension " + d);
                    }
                }
            }

            // Step 3: every bad query with a known id is answered ERROR, keyed by its reply key; all are dead letters.
            final Map<String, ClassificationResult> results = new TreeMap<>();
            StreamFixtures.readUntil(
                    bootstrap,
                    topics.results().name(),
                    rs -> {
                        rs.forEach(r -> results.put(
                                new String(r.key()),
                                EventSerde.of(ClassificationResult.class).decode(r.value())));
                        return results.size() >= 5;
                    },
                    LONG);
            assertEquals(List.of("bad-bytes", "client-b", "no-key", "raw", "tomb"), new ArrayList<>(results.keySet()));
            results.values().forEach(r -> assertEquals(ResultStatus.ERROR, r.getStatus()));
            assertTrue(results.get("bad-bytes").getError().startsWith("corrupt-header"));
            assertTrue(results.get("client-b").getError().startsWith("invalid-k"));
            assertEquals("k-zero", results.get("client-b").getQueryId());
            assertTrue(results.get("no-key").getError().startsWith("null-key"));
            assertTrue(results.get("raw").getError().startsWith("raw-size-mismatch"));
            assertTrue(results.get("tomb").getError().startsWith("tombstone"));
            final List<ConsumerRecord<byte[], byte[]>> dead =
                    StreamFixtures.readUntil(bootstrap, topics.deadLetters().name(), rs -> rs.size() >= 6, LONG);
            final Map<String, Integer> reasons = new TreeMap<>();
            dead.forEach(r -> reasons.merge(
                    EventSerde.of(DeadLetter.class).decode(r.value()).getReason(), 1, Integer::sum));
            assertEquals(
                    Map.of(
                            "corrupt-header",
                            1,
                            "invalid-k",
                            1,
                            "null-key",
                            1,
                            "raw-size-mismatch",
                            1,
                            "tombstone",
                            1,
                            "empty-payload",
                            1),
                    reasons);
            await(
                    () -> embedder.status().queriesEmbedded() == 10
                            && embedder.status().errorsAnswered() == 5,
                    () -> "status " + embedder.status());
        }
    }

    @Test
    void shouldWaitForAModelThenSwapInNewerVersionsWithoutRestart() throws Exception {
        try (EmbedderService embedder = EmbedderService.start(new EmbedderConfig(settings), null)) {
            // Step 1: no model yet: the query waits in the topic.
            StreamFixtures.sendAll(
                    producer(), List.of(query("early", DATA.images().get(0), null, null)));
            Thread.sleep(1000);
            assertEquals(0, embedder.status().queriesEmbedded(), "no answer without a model");
            // Step 2: version 1 arrives: the waiting query is answered with it.
            publish(learner, 1, learner.encoderParameters());
            assertEquals(1, vectors(1).get("early").getModelVersion());
            // Step 3: version 2 (other weights), then a stale version 1 and an unloadable version 3.
            publish(other, 2, other.encoderParameters());
            await(() -> embedder.status().modelVersion() == 2, () -> "model v2, got " + embedder.status());
            publish(learner, 1, learner.encoderParameters());
            publish(learner, 3, new byte[] {1, 2, 3});
            await(
                    () -> embedder.rejectedByReason().containsKey(DeadLetterReason.UNLOADABLE_CHECKPOINT.code()),
                    () -> "unloadable checkpoint dead-lettered, got " + embedder.rejectedByReason());
            StreamFixtures.sendAll(
                    producer(), List.of(query("late", DATA.images().get(0), null, null)));
            final QueryVector late = vectors(2).get("late");
            assertEquals(2, late.getModelVersion(), "the stale and the broken versions must not replace v2");
            try (Encoder encoder =
                    Encoder.load(other.config().backbone(), other.encoderConfig(), other.encoderParameters())) {
                assertArrayEquals(
                        encoder.embed(List.of(DATA.images().get(0))), VectorCodec.decode(late.getVector()), 1e-4f);
            }
        }
    }

    @Test
    void shouldAnswerErrorAfterTheNoModelTimeout() throws Exception {
        settings.put(EmbedderConfig.NO_MODEL_TIMEOUT_MS_CONFIG, "300");
        try (EmbedderService embedder = EmbedderService.start(new EmbedderConfig(settings), null)) {
            StreamFixtures.sendAll(
                    producer(), List.of(query("lonely", DATA.images().get(0), null, "me")));
            final List<ConsumerRecord<byte[], byte[]>> results =
                    StreamFixtures.readUntil(bootstrap, topics.results().name(), rs -> !rs.isEmpty(), LONG);
            final ClassificationResult result = EventSerde.of(ClassificationResult.class)
                    .decode(results.get(0).value());
            assertEquals("lonely", result.getQueryId());
            assertEquals("me", new String(results.get(0).key()));
            assertEquals(ResultStatus.ERROR, result.getStatus());
            assertTrue(result.getError().startsWith(EmbedderService.NO_MODEL), result.getError());
            assertEquals(0, embedder.status().deadLetters(), "a good query without a model is not a dead letter");
        }
    }

    @Test
    void shouldShareTheQueriesBetweenInstancesOfOneGroup() throws Exception {
        publish(learner, 1, learner.encoderParameters());
        try (EmbedderService first = EmbedderService.start(new EmbedderConfig(settings), null);
                EmbedderService second = EmbedderService.start(new EmbedderConfig(settings), null)) {
            await(
                    () -> first.status().modelVersion() == 1 && second.status().modelVersion() == 1,
                    () -> "both loaded v1: " + first.status() + " " + second.status());
            // Keep sending until both instances have answered some: the group needs a moment to balance.
            final long deadline = System.currentTimeMillis() + LONG.toMillis();
            int sent = 0;
            while (first.status().queriesEmbedded() == 0 || second.status().queriesEmbedded() == 0) {
                assertTrue(
                        System.currentTimeMillis() < deadline,
                        "both instances answer: " + first.status() + " " + second.status());
                final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
                for (int i = 0; i < 10; i++, sent++) {
                    records.add(query("share-" + sent, DATA.images().get(sent % DATA.size()), null, null));
                }
                StreamFixtures.sendAll(producer(), records);
                Thread.sleep(200);
            }
            final int total = sent;
            await(
                    () -> first.status().queriesEmbedded() + second.status().queriesEmbedded() >= total,
                    () -> "all " + total + " answered: " + first.status() + " " + second.status());
            assertEquals(total, vectors(total).size(), "every query has its vector");
        }
    }

    private static void await(final BooleanSupplier condition, final java.util.function.Supplier<String> message)
            throws InterruptedException {
        final long deadline = System.currentTimeMillis() + LONG.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Timed out waiting for: " + message.get());
            }
            Thread.sleep(50);
        }
    }
}
