package io.npid.deploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.local.LocalConfig;
import io.npid.deploy.local.LocalDataSet;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.local.TrainingRecorder;
import io.npid.deploy.metrics.MetricsSettings;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.schemas.TestEvents;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.kafka.SchemaTopic;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.SchemaHistory;
import io.npid.schemas.serde.VectorCodec;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, fault 6: a rolling upgrade, producers first. A newer producer writes images, labels, queries, features
 * and query vectors with schemas that have one more field (with a default), having registered them in the schemas
 * topic; the running trainer, embedder and indexer (this build: to them the schemas are unknown) read every one of
 * them, none is dead-lettered, no image is lost, every query is answered. A record whose newer schema nobody
 * registered goes to dead-letters as {@code unknown-schema}, exactly once.
 */
class RollingUpgradeIT {
    private static final int IMAGES = 40;
    private static final int QUERIES = 10;
    private static final int VECTORS = 5;
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** A field no build of npid has: the newer writer's addition. */
    private static final String ADDED = "rollingUpgradeNote";

    @TempDir
    Path state;

    @Test
    void shouldReadEveryRecordOfANewerProducerAndDeadLetterOnlyTheUnregisteredOne() throws Exception {
        final LocalDataSet data = LocalDataSet.synthetic(IMAGES, QUERIES, 7);
        final LocalConfig config = new LocalConfig(null, true, 1, IMAGES, QUERIES, "small", 16, 2, 0, false, state, 7);
        try (NpidMetrics metrics = NpidMetrics.start("local", new MetricsSettings(0, MetricsSettings.LOOPBACK));
                LocalStack stack = LocalStack.start(
                        config,
                        data,
                        state,
                        metrics,
                        new TrainingRecorder(16, IMAGES),
                        Map.of(StreamingTrainerConfig.TRAIN_CONFIG, false))) {
            final Topics topics = stack.topics();
            final Map<String, Object> client = stack.client().with(Map.of());
            final Newer images = new Newer(ImageEvent.getClassSchema());
            final Newer labels = new Newer(LabelEvent.getClassSchema());
            final Newer queries = new Newer(QueryEvent.getClassSchema());
            final Newer features = new Newer(FeatureEvent.getClassSchema());
            final Newer vectors = new Newer(QueryVector.getClassSchema());
            // The newer producer registers its schemas, then closes its view: the processes must find them in
            // the topic, not in this JVM's copy.
            try (SchemaTopic producerView = SchemaTopic.open(topics, client)) {
                for (final Newer newer : List.of(images, labels, queries, features, vectors)) {
                    producerView.register(newer.schema);
                }
            }
            final Newer unregistered = new Newer(ImageEvent.getClassSchema(), "nobodyRegisteredThis");

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
                            true)) {
                // Step 1: images and labels from the newer producer, and one image nobody registered a schema for
                for (int i = 0; i < IMAGES; i++) {
                    final String id = "newer-" + i;
                    producer.send(
                            topics.images().name(),
                            bytes(id),
                            images.write(
                                    topics.images(),
                                    ImageEvent.newBuilder()
                                            .setId(id)
                                            .setImage(BadInputCorpus.raw(
                                                    data.train().decode(i)))
                                            .setTimestampMs(System.currentTimeMillis())
                                            .build()));
                    producer.send(
                            topics.labels().name(),
                            bytes(id),
                            labels.write(
                                    topics.labels(),
                                    LabelEvent.newBuilder()
                                            .setId(id)
                                            .setLabel(data.train().label(i))
                                            .setClassName(
                                                    "class-" + data.train().label(i))
                                            .build()));
                }
                producer.send(
                        topics.images().name(),
                        bytes("unregistered"),
                        unregistered.write(
                                topics.images(),
                                ImageEvent.newBuilder()
                                        .setId("unregistered")
                                        .setImage(
                                                BadInputCorpus.raw(data.train().decode(0)))
                                        .setTimestampMs(System.currentTimeMillis())
                                        .build()));
                awaitRows(stack, IMAGES);

                // Step 2: bank rows for the indexer and queries for the embedder, all newer
                final Random random = new Random(11);
                final List<float[]> rows = new ArrayList<>();
                for (int i = 0; i < VECTORS; i++) {
                    final float[] v = TestEvents.unitVector(random, BadInputCorpus.DIMENSION);
                    rows.add(v);
                    producer.send(
                            topics.features().name(),
                            bytes("newer-f-" + i),
                            features.write(
                                    topics.features(),
                                    FeatureEvent.newBuilder()
                                            .setId("newer-f-" + i)
                                            .setVector(VectorCodec.encode(v))
                                            .setClassName("far")
                                            .setModelVersion(0)
                                            .setStep(0)
                                            .setTimestampMs(0)
                                            .build()));
                }
                final Set<String> awaited = new HashSet<>();
                for (int i = 0; i < QUERIES; i++) {
                    final String id = "newer-q-" + i;
                    awaited.add(id);
                    producer.send(
                            topics.queries().name(),
                            bytes(id),
                            queries.write(
                                    topics.queries(),
                                    QueryEvent.newBuilder()
                                            .setQueryId(id)
                                            .setRequestId(id + "-r")
                                            .setImage(BadInputCorpus.raw(
                                                    data.test().decode(i)))
                                            .setK(5)
                                            .setTimestampMs(System.currentTimeMillis())
                                            .build()));
                }
                // the indexer reads query vectors too: each asks for one of the newer rows, k = 1
                for (int i = 0; i < VECTORS; i++) {
                    final String id = "newer-v-" + i;
                    awaited.add(id);
                    producer.send(
                            topics.queryVectors().name(),
                            bytes(id),
                            vectors.write(
                                    topics.queryVectors(),
                                    QueryVector.newBuilder()
                                            .setQueryId(id)
                                            .setVector(VectorCodec.encode(rows.get(i)))
                                            .setModelVersion(0)
                                            .setK(1)
                                            .setQueryTimestampMs(1)
                                            .setEmbeddedTimestampMs(2)
                                            .build()));
                }

                // Step 3: every query answered; a vector's answer is its own row (the row was applied)
                final boolean answered = results.awaitSeen(
                        seen -> seen.stream()
                                .map(r -> r.value().getQueryId())
                                .collect(Collectors.toSet())
                                .containsAll(awaited),
                        WAIT);
                assertTrue(
                        answered,
                        "answered: "
                                + results.values().stream()
                                        .map(ClassificationResult::getQueryId)
                                        .toList() + "; dead letters " + reasons(deadLetters.values()));
                for (final ClassificationResult r : results.values()) {
                    assertEquals(ResultStatus.OK, r.getStatus(), r.toString());
                    if (r.getQueryId().startsWith("newer-v-")) {
                        assertEquals(
                                "newer-f-" + r.getQueryId().substring("newer-v-".length()),
                                r.getNeighbours().get(0).getId(),
                                r.toString());
                    } else {
                        assertEquals(r.getQueryId() + "-r", r.getRequestId());
                    }
                }

                // Step 4: the one dead letter is the unregistered image's, once, and nothing newer was refused
                deadLetters.awaitSeen(seen -> !seen.isEmpty(), WAIT);
                deadLetters.poll(Duration.ofSeconds(2));
                assertEquals(List.of("unregistered:unknown-schema"), reasons(deadLetters.values()));
                assertEquals(IMAGES, stack.trainer().status().rows(), "no newer image lost, the other refused");
            }
        }
    }

    /** A record type as a newer build writes it: this build's fields and one more, with a default. */
    private static final class Newer {
        private final Schema current;
        private final Schema schema;
        private final String added;

        Newer(final Schema current) {
            this(current, ADDED);
        }

        Newer(final Schema current, final String added) {
            this.current = current;
            this.added = added;
            this.schema = withExtraField(current, added);
        }

        /** The record in the newer schema, its added field set, single-object encoded. */
        <T> byte[] write(final TopicSpec<String, T> topic, final T record) {
            final GenericRecord fields = EventSerde.generic(current, SchemaHistory.of(List.of()))
                    .decode(topic.valueSerde().serializer().serialize(topic.name(), record));
            final GenericRecord out = new GenericData.Record(schema);
            for (final Schema.Field field : current.getFields()) {
                out.put(field.name(), fields.get(field.name()));
            }
            out.put(added, "written by the newer build");
            return EventSerde.generic(schema, SchemaHistory.of(List.of())).encode(out);
        }
    }

    private static Schema withExtraField(final Schema schema, final String name) {
        final List<Schema.Field> fields = new ArrayList<>();
        for (final Schema.Field field : schema.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field(name, Schema.create(Schema.Type.STRING), "added by a newer build", "none"));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static byte[] bytes(final String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> reasons(final List<DeadLetter> letters) {
        return letters.stream()
                .map(l ->
                        (l.getKey() == null
                                        ? "null"
                                        : StandardCharsets.UTF_8
                                                .decode(l.getKey().duplicate())
                                                .toString()) + ":" + l.getReason())
                .toList();
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
}
