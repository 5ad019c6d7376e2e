package io.npid.deploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.npid.deploy.local.LocalConfig;
import io.npid.deploy.local.LocalDataSet;
import io.npid.deploy.local.LocalImages;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.local.TrainingRecorder;
import io.npid.deploy.metrics.DeadLetterMeters;
import io.npid.deploy.metrics.MetricsSettings;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.deploy.reliability.BadInputCorpus.BadRecord;
import io.npid.deploy.reliability.BadInputCorpus.Target;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.event.ResultStatus;
import io.npid.store.FeatureStore;
import io.npid.store.StoreOptions;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the bad-input corpus through the real processes of {@code npid local} (trainer, embedder, indexer on the
 * embedded broker) while good images, labels and queries flow, and checks that every bad record lands in
 * dead-letters with its own reason (a bad query also gets an ERROR result), that the trainer's and embedder's
 * rejections are counted in the metrics, and that no good record is lost.
 */
class BadInputIT {
    private static final int GOOD_IMAGES = 60;
    private static final int GOOD_QUERIES = 30;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path state;

    @Test
    void shouldDeadLetterEveryBadRecordWithItsReasonAndLoseNoGoodRecord() throws Exception {
        final List<BadRecord> corpus = new ArrayList<>(BadInputCorpus.load());
        corpus.add(BadInputCorpus.oversize(Target.IMAGES));
        corpus.add(BadInputCorpus.oversize(Target.QUERIES));
        final LocalDataSet data = LocalDataSet.synthetic(GOOD_IMAGES, GOOD_QUERIES, 5);
        final LocalConfig config =
                new LocalConfig(null, true, 1, GOOD_IMAGES, GOOD_QUERIES, "small", 16, 2, 0, false, state, 5);
        final Outcomes outcomes = new Outcomes();
        final List<ClassificationResult> goodResults = new ArrayList<>();
        final int expectedRows = GOOD_IMAGES + 1; // + ok-img-png-no-optional; the duplicate id adds none
        final String prometheus;
        final Map<String, Long> trainerRejected;
        final Map<String, Long> embedderRejected;
        try (NpidMetrics metrics =
                        NpidMetrics.start("local", new MetricsSettings(Ports.free(), MetricsSettings.LOOPBACK));
                LocalStack stack = LocalStack.start(
                        config,
                        data,
                        state,
                        metrics,
                        new TrainingRecorder(16, expectedRows),
                        Map.of(StreamingTrainerConfig.TRAIN_CONFIG, false))) {
            final Topics topics = stack.topics();
            final Map<String, Object> client = stack.client().with(Map.of());
            // what npid local runs listens on loopback only: broker, controller, metrics endpoint
            if (ListeningSockets.supported()) {
                final List<ListeningSockets.Socket> listening = ListeningSockets.ofThisProcess();
                assertTrue(
                        listening.size() >= 3 && listening.stream().allMatch(ListeningSockets.Socket::loopback),
                        "listening beyond loopback: " + listening);
            }
            allowRecordsOver8MiB(client, topics);
            try (RawProducer producer = new RawProducer(client);
                    TopicTail<DeadLetter> deadLetters = new TopicTail<>(
                            client,
                            topics.deadLetters().name(),
                            topics.deadLetters().valueSerde().deserializer(),
                            true);
                    TopicTail<ClassificationResult> results = new TopicTail<>(
                            client,
                            topics.results().name(),
                            topics.results().valueSerde().deserializer(),
                            true);
                    TopicTail<FeatureEvent> features = new TopicTail<>(
                            client,
                            topics.features().name(),
                            topics.features().valueSerde().deserializer(),
                            true)) {

                // Step 1: good images and labels, with every bad image and label record among them
                final Iterator<BadRecord> badInputs = corpus.stream()
                        .filter(r -> r.target() == Target.IMAGES || r.target() == Target.LABELS)
                        .iterator();
                final LocalImages train = data.train();
                for (int i = 0; i < GOOD_IMAGES; i++) {
                    final String id = "good-" + i;
                    producer.send(
                            topics.images().name(),
                            bytes(id),
                            topics.images()
                                    .valueSerde()
                                    .serializer()
                                    .serialize(
                                            null,
                                            ImageEvent.newBuilder()
                                                    .setId(id)
                                                    .setImage(BadInputCorpus.raw(train.decode(i)))
                                                    .setTimestampMs(System.currentTimeMillis())
                                                    .build()));
                    producer.send(
                            topics.labels().name(),
                            bytes(id),
                            topics.labels()
                                    .valueSerde()
                                    .serializer()
                                    .serialize(
                                            null,
                                            LabelEvent.newBuilder()
                                                    .setId(id)
                                                    .setLabel(train.label(i))
                                                    .build()));
                    if (i % 2 == 1 && badInputs.hasNext()) {
                        place(producer, topics, badInputs.next(), outcomes);
                    }
                }
                badInputs.forEachRemaining(r -> place(producer, topics, r, outcomes));
                awaitRows(stack, expectedRows);

                // Step 2: bad features beside the trainer's good ones
                corpus.stream()
                        .filter(r -> r.target() == Target.FEATURES)
                        .forEach(r -> place(producer, topics, r, outcomes));

                // Step 3: good queries with every bad query among them; the duplicate id is sent twice
                final Iterator<BadRecord> badQueries = corpus.stream()
                        .filter(r -> r.target() == Target.QUERIES)
                        .iterator();
                for (int i = 0; i < GOOD_QUERIES; i++) {
                    producer.send(
                            topics.queries().name(),
                            bytes("good-q-" + i),
                            topics.queries()
                                    .valueSerde()
                                    .serializer()
                                    .serialize(
                                            null,
                                            QueryEvent.newBuilder()
                                                    .setQueryId("good-q-" + i)
                                                    .setImage(BadInputCorpus.raw(
                                                            data.test().decode(i)))
                                                    .setK(10)
                                                    .setTimestampMs(System.currentTimeMillis())
                                                    .build()));
                    if (badQueries.hasNext()) {
                        place(producer, topics, badQueries.next(), outcomes);
                    }
                }
                badQueries.forEachRemaining(r -> place(producer, topics, r, outcomes));
                final BadRecord duplicate = corpus.stream()
                        .filter(r -> BadInputCorpus.DUPLICATE_QUERY_ID.equals(r.key()))
                        .findFirst()
                        .orElseThrow();
                producer.send(topics.queries().name(), duplicate.keyBytes(), duplicate.value());

                // Step 4: wait for every answer and every dead letter, then a little longer for extras
                final Set<String> awaited = new HashSet<>();
                for (int i = 0; i < GOOD_QUERIES; i++) {
                    awaited.add("good-q-" + i);
                }
                outcomes.records().stream()
                        .filter(r -> r.target() == Target.QUERIES
                                && r.expected().stream().anyMatch(e -> e.startsWith("result:")))
                        .forEach(r -> awaited.add(Outcomes.queryId(r)));
                final boolean answered = results.awaitSeen(
                        seen -> seen.stream()
                                .map(c -> c.value().getQueryId())
                                .collect(java.util.stream.Collectors.toSet())
                                .containsAll(awaited),
                        WAIT);
                final long expectedLetters = outcomes.records().stream()
                        .mapToLong(r -> r.expected().stream()
                                .filter(e -> e.startsWith("trainer:")
                                        || e.startsWith("embedder:")
                                        || e.startsWith("indexer:"))
                                .count())
                        .sum();
                final boolean lettered = deadLetters.awaitSeen(seen -> seen.size() >= expectedLetters, WAIT);
                results.poll(Duration.ofSeconds(2));
                deadLetters.poll(Duration.ofMillis(500));
                features.awaitSeen(seen -> featureIds(seen).size() >= expectedRows, Duration.ofSeconds(30));
                outcomes.match(
                        deadLetters.values(),
                        results.values(),
                        topics.queryVectors().name());
                Outcomes.report("bad-input.md", outcomes.table());
                assertTrue(answered, "every query answered; missing " + missing(awaited, results.values()));
                assertTrue(lettered, deadLetters.seen().size() + " of " + expectedLetters + " dead letters");
                assertEquals(List.of(), outcomes.unmatched(), "dead letters of records the test did not send");
                for (final BadRecord r : outcomes.records()) {
                    final String wrong = outcomes.mismatch(r);
                    assertEquals(null, wrong, r.name() + " (" + r.description() + "): " + wrong);
                }
                results.values().stream()
                        .filter(r -> r.getQueryId().startsWith("good-q-"))
                        .forEach(goodResults::add);

                // Step 5: no good record lost: every good image has a published feature, every good query an answer
                final Set<String> published = featureIds(features.seen());
                for (int i = 0; i < GOOD_IMAGES; i++) {
                    assertTrue(published.contains("good-" + i), "feature of good-" + i + " published");
                }
                assertTrue(published.contains("ok-img-png-no-optional"));
                // A label from a producer before class names (v1 schema, int 4) is class "4"; a named one is its
                // name: both reach the features topic so, with the int label only for the number.
                final boolean relabelled = features.awaitSeen(
                        seen -> "4".equals(classOf(seen, "good-7")) && "Bag".equals(classOf(seen, "good-6")), WAIT);
                assertTrue(
                        relabelled,
                        "good-7 is " + classOf(features.seen(), "good-7") + ", good-6 is "
                                + classOf(features.seen(), "good-6"));
                assertEquals(4, latest(features.seen(), "good-7").getLabel());
                assertEquals(null, latest(features.seen(), "good-6").getLabel());
                assertEquals(
                        expectedRows,
                        stack.trainer().status().rows(),
                        stack.trainer().status().toString());
            }
            trainerRejected = stack.trainer().rejectedByReason();
            embedderRejected = stack.embedder().rejectedByReason();
            assertCounted(metrics, outcomes, topics);
            prometheus = Ports.get(
                    "http://127.0.0.1:" + metrics.endpoint().orElseThrow().getPort() + "/metrics");
        }
        for (int i = 0; i < GOOD_QUERIES; i++) {
            final String id = "good-q-" + i;
            assertTrue(
                    goodResults.stream()
                            .anyMatch(r -> r.getQueryId().equals(id)
                                    && r.getStatus() == ResultStatus.OK
                                    && !r.getNeighbours().isEmpty()),
                    id + " answered OK");
        }
        // after the stack closed: exactly one stored row per distinct good id
        try (FeatureStore store = FeatureStore.open(
                state.resolve("trainer").resolve("store"), StoreOptions.defaults(BadInputCorpus.DIMENSION))) {
            assertEquals(expectedRows, store.size());
            for (int i = 0; i < GOOD_IMAGES; i++) {
                assertTrue(store.rowOf("good-" + i) >= 0, "good-" + i + " stored");
            }
        }
        assertTrue(prometheus.contains("npid_dead_letters_total{"), "dead letters on the Prometheus endpoint");
        System.out.println("BadInputIT: " + outcomes.records().size() + " corpus records, " + GOOD_IMAGES
                + " good images, " + GOOD_QUERIES + " good queries; trainer rejected " + trainerRejected
                + "; embedder rejected " + embedderRejected);
    }

    /** Sends a corpus record and notes where it went; a record the broker refuses fails the test. */
    private static void place(
            final RawProducer producer, final Topics topics, final BadRecord record, final Outcomes outcomes) {
        try {
            outcomes.placed(record, producer.send(topicOf(record, topics), record.keyBytes(), record.value()));
        } catch (ExecutionException e) {
            if (!record.expected().contains("broker:refused")) {
                throw new AssertionError("the broker refused " + record.name() + ": " + e.getCause(), e);
            }
            outcomes.refused(record, e.getCause());
        }
    }

    /** The operator's choice for big photos: images and queries accept records up to 16 MiB. */
    private static void allowRecordsOver8MiB(final Map<String, Object> client, final Topics topics) throws Exception {
        try (Admin admin = Admin.create(client)) {
            final AlterConfigOp op = new AlterConfigOp(
                    new ConfigEntry(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(RawProducer.MAX_REQUEST_BYTES)),
                    AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(
                                            ConfigResource.Type.TOPIC,
                                            topics.images().name()),
                                    List.of(op),
                            new ConfigResource(
                                            ConfigResource.Type.TOPIC,
                                            topics.queries().name()),
                                    List.of(op)))
                    .all()
                    .get();
        }
        // while features keep the broker's 1 MiB limit: a bigger record never enters the pipeline at all
        try (RawProducer producer = new RawProducer(client)) {
            final ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class,
                    () -> producer.send(topics.features().name(), bytes("huge"), new byte[2 * 1024 * 1024]));
            assertTrue(refused.getCause() instanceof RecordTooLargeException, refused.toString());
        }
    }

    private static void awaitRows(final LocalStack stack, final int rows) throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (stack.trainer().status().rows() < rows && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(
                rows,
                stack.trainer().status().rows(),
                "bank rows: " + stack.trainer().status());
    }

    /** Each trainer and embedder dead letter is counted once under its process, topic and reason. */
    private static void assertCounted(final NpidMetrics metrics, final Outcomes outcomes, final Topics topics) {
        final Map<List<String>, Integer> letters =
                new java.util.TreeMap<>(java.util.Comparator.comparing(List::toString));
        for (final BadRecord r : outcomes.records()) {
            for (final String landed : outcomes.landed(r.name())) {
                final String[] parts = landed.split(":");
                if (parts[0].equals("trainer") || parts[0].equals("embedder")) { // the indexer has no such meter
                    letters.merge(List.of(parts[0], topicOf(r, topics), parts[1]), 1, Integer::sum);
                }
            }
        }
        for (final Map.Entry<List<String>, Integer> e : letters.entrySet()) {
            final Counter counter = metrics.registry()
                    .find(DeadLetterMeters.NAME)
                    .tag("rejected.by", e.getKey().get(0))
                    .tag("topic", e.getKey().get(1))
                    .tag("reason", e.getKey().get(2))
                    .counter();
            assertEquals(e.getValue(), counter == null ? 0 : (int) counter.count(), "meter " + e.getKey());
        }
    }

    private static String topicOf(final BadRecord record, final Topics topics) {
        return switch (record.target()) {
            case IMAGES -> topics.images().name();
            case LABELS -> topics.labels().name();
            case QUERIES -> topics.queries().name();
            case FEATURES -> topics.features().name();
        };
    }

    /** The latest feature of an id, or null. */
    private static FeatureEvent latest(
            final List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], FeatureEvent>> seen, final String id) {
        FeatureEvent latest = null;
        for (final var c : seen) {
            if (c.value() != null && c.value().getId().equals(id)) {
                latest = c.value();
            }
        }
        return latest;
    }

    /** The class name of an id's latest feature, or null. */
    private static String classOf(
            final List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], FeatureEvent>> seen, final String id) {
        final FeatureEvent latest = latest(seen, id);
        return latest == null ? null : latest.getClassName();
    }

    private static Set<String> featureIds(
            final List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], FeatureEvent>> seen) {
        final Set<String> ids = new HashSet<>();
        seen.stream()
                .filter(c -> c.value() != null)
                .forEach(c -> ids.add(c.value().getId()));
        return ids;
    }

    private static Set<String> missing(final Set<String> awaited, final List<ClassificationResult> results) {
        final Set<String> left = new HashSet<>(awaited);
        results.forEach(r -> left.remove(r.getQueryId()));
        return left;
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
