package io.npid.indexer;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.indexer.internals.VectorCheck;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.VectorCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Data, clients and a brute-force reference for the indexer's embedded-broker tests.
 *
 * <p>Seeded random unit vectors: every tenth image is unlabelled, every third gets its label through the labels
 * topic (half of those before the feature), the rest inside its FeatureEvent. Classes are named
 * ({@link #CLASS_NAMES}); the events also carry the class number, which the indexer must not use. The reference
 * normalises like the indexer and scores with the kernels' arithmetic, so the expected neighbours are bit-exact.
 */
final class IndexerFixture implements AutoCloseable {

    static final int DIM = 16;
    static final int CLASSES = 7;
    static final String[] CLASS_NAMES = {"T-shirt/top", "bag", "coat", "dress", "sandal", "sac à main", "10"};

    final String bootstrap;
    final Topics topics;
    final String applicationId = "indexer-it-" + UUID.randomUUID();
    final float[][] features;
    final int[] labels;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<KafkaStreams> instances = new ArrayList<>();
    private int probes;

    IndexerFixture(final String bootstrap, final int partitions, final int images, final long seed) {
        this.bootstrap = bootstrap;
        this.topics = Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix()).withPartitions(partitions);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicAdmin.ensureTopics(admin, topics);
            IndexerApp.verifyTopics(admin, topics, Duration.ofSeconds(30));
        }
        final Random random = new Random(seed);
        features = new float[images][];
        labels = new int[images];
        for (int i = 0; i < images; i++) {
            features[i] = randomUnit(random);
            labels[i] = i % 10 == 9 ? -1 : random.nextInt(CLASSES);
        }
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "results-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.results().name()));
    }

    static float[] randomUnit(final Random random) {
        final float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Settings of one indexer instance. */
    Map<String, Object> settings(final Path stateDir) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put(Topics.TOPIC_PREFIX_CONFIG, topics.prefix());
        settings.put(
                Topics.TOPIC_PARTITIONS_CONFIG,
                Integer.toString(topics.features().partitions()));
        settings.put(IndexerConfig.APPLICATION_ID_CONFIG, applicationId);
        settings.put(IndexerConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(IndexerConfig.DIMENSION_CONFIG, Integer.toString(DIM));
        settings.put(IndexerConfig.K_CONFIG, "20");
        settings.put(IndexerConfig.MERGE_TIMEOUT_MS_CONFIG, "60000");
        // Quick rebalances for the tests that stop instances.
        settings.put("session.timeout.ms", "6000");
        settings.put("heartbeat.interval.ms", "500");
        return settings;
    }

    /** Starts one instance and waits until it runs. */
    KafkaStreams start(final Map<String, Object> settings) {
        final KafkaStreams streams = IndexerApp.create(IndexerConfig.from(settings));
        instances.add(streams);
        streams.start();
        return streams;
    }

    static void awaitRunning(final List<KafkaStreams> streams, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!streams.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Instances not RUNNING after " + timeout + ": "
                        + streams.stream().map(KafkaStreams::state).toList());
            }
            Thread.sleep(50);
        }
    }

    /** Produces every feature and label (some labels before their feature, some after, some inside it). */
    void produceAll() {
        for (int i = 0; i < features.length; i++) {
            final boolean separateLabel = labels[i] >= 0 && i % 3 == 0;
            if (separateLabel && i % 2 == 0) {
                label(i);
            }
            feature(i, separateLabel || labels[i] < 0 ? null : labels[i]);
            if (separateLabel && i % 2 == 1) {
                label(i);
            }
        }
        producer.flush();
    }

    void feature(final int i, final Integer label) {
        final String id = "img-" + i;
        send(
                topics.features().name(),
                id,
                topics.features()
                        .valueSerde()
                        .serializer()
                        .serialize(
                                "",
                                FeatureEvent.newBuilder()
                                        .setId(id)
                                        .setVector(VectorCodec.encode(features[i]))
                                        .setLabel(label)
                                        .setClassName(label == null ? null : CLASS_NAMES[label])
                                        .setModelVersion(1)
                                        .setStep(1)
                                        .setTimestampMs(System.currentTimeMillis())
                                        .build()));
    }

    void removeFeature(final int i) {
        send(topics.features().name(), "img-" + i, null);
        producer.flush();
    }

    void label(final int i) {
        send(
                topics.labels().name(),
                "img-" + i,
                topics.labels()
                        .valueSerde()
                        .serializer()
                        .serialize(
                                "",
                                LabelEvent.newBuilder()
                                        .setId("img-" + i)
                                        .setLabel(labels[i])
                                        .setClassName(CLASS_NAMES[labels[i]])
                                        .build()));
    }

    void query(final String queryId, final float[] vector, final int k) {
        queryUnflushed(queryId, null, vector, k);
        producer.flush();
    }

    /** Sends a query vector without waiting for it, with a request id or (null) none. */
    void queryUnflushed(final String queryId, final String requestId, final float[] vector, final int k) {
        send(
                topics.queryVectors().name(),
                queryId,
                topics.queryVectors()
                        .valueSerde()
                        .serializer()
                        .serialize(
                                "",
                                QueryVector.newBuilder()
                                        .setQueryId(queryId)
                                        .setRequestId(requestId)
                                        .setVector(VectorCodec.encode(vector))
                                        .setModelVersion(1)
                                        .setK(k)
                                        .setQueryTimestampMs(System.currentTimeMillis())
                                        .setEmbeddedTimestampMs(System.currentTimeMillis())
                                        .build()));
    }

    void flush() {
        producer.flush();
    }

    private void send(final String topic, final String key, final byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value));
    }

    /** Polls results until every wanted query id has one (or more), or the timeout passes. */
    Map<String, List<ClassificationResult>> awaitResults(final List<String> queryIds, final Duration timeout) {
        return awaitResults(new LinkedHashMap<>(), queryIds, timeout);
    }

    /** Polls results into a map that may already hold some, until every wanted query id has one. */
    Map<String, List<ClassificationResult>> awaitResults(
            final Map<String, List<ClassificationResult>> found, final List<String> queryIds, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!found.keySet().containsAll(queryIds) && System.nanoTime() < deadline) {
            pollInto(found, Duration.ofMillis(200));
        }
        return found;
    }

    void pollInto(final Map<String, List<ClassificationResult>> found, final Duration poll) {
        for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(poll)) {
            final ClassificationResult result =
                    topics.results().valueSerde().deserializer().deserialize(record.topic(), record.value());
            found.computeIfAbsent(result.getQueryId(), id -> new ArrayList<>()).add(result);
        }
    }

    /**
     * Waits until the indexer answers a probe with exactly the labelled images: then every feature, label and
     * removal sent so far is applied.
     *
     * @param timeout how long to wait
     */
    void awaitIngested(final Duration timeout) throws InterruptedException {
        final java.util.Set<String> labelled = new java.util.HashSet<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0 && features[i] != null) {
                labelled.add("img-" + i);
            }
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        java.util.Set<String> seen = java.util.Set.of();
        while (System.nanoTime() < deadline) {
            final int probe = probes++;
            final String id = "probe-" + probe;
            query(id, randomUnit(new Random(probe)), 1000);
            final List<ClassificationResult> answer =
                    awaitResults(List.of(id), Duration.ofSeconds(30)).get(id);
            if (answer != null) {
                seen = new java.util.HashSet<>(answer.get(0).getNeighbours().stream()
                        .map(io.npid.schemas.event.Neighbour::getId)
                        .toList());
                if (seen.equals(labelled)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The indexer did not reach the " + labelled.size() + " labelled images in " + timeout
                + "; it had " + seen.size());
    }

    /** The exact top-k over the labelled images, as the indexer must find them. */
    List<io.npid.indexer.knn.Candidate> expectedNeighbours(final float[] query, final int k) {
        final float[] q =
                VectorCheck.of(VectorCodec.encode(query), DIM, "query").vector();
        final List<Integer> rows = new ArrayList<>();
        final float[] sims = new float[features.length];
        for (int i = 0; i < features.length; i++) {
            if (labels[i] < 0) {
                continue;
            }
            final float[] v =
                    VectorCheck.of(VectorCodec.encode(features[i]), DIM, "row").vector();
            float s = 0f;
            for (int d = 0; d < DIM; d++) {
                s = Math.fma(q[d], v[d], s);
            }
            sims[i] = s;
            rows.add(i);
        }
        return rows.stream()
                .sorted(Comparator.comparingDouble((Integer i) -> -sims[i]).thenComparing(i -> "img-" + i))
                .limit(k)
                .map(i -> new io.npid.indexer.knn.Candidate("img-" + i, sims[i], CLASS_NAMES[labels[i]]))
                .toList();
    }

    /** Stops an instance the way a scale-in does: it leaves the group, so its tasks move at once. */
    static void stop(final KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    @Override
    public void close() {
        for (final KafkaStreams streams : instances) {
            stop(streams);
        }
        producer.close();
        consumer.close();
    }
}
