package io.npid.indexer;

import io.npid.indexer.internals.KnnPartial;
import io.npid.indexer.internals.KnnPartialSerde;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.serde.VectorCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The indexer topology in a TopologyTestDriver, with typed inputs and outputs for the tests. */
final class IndexerDriver implements AutoCloseable {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final IndexerConfig config;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, FeatureEvent> features;
    private final TestInputTopic<byte[], byte[]> rawFeatures;
    private final TestInputTopic<String, LabelEvent> labels;
    private final TestInputTopic<String, QueryVector> queries;
    private final TestInputTopic<byte[], byte[]> rawQueries;
    private final TestOutputTopic<String, ClassificationResult> results;
    private final TestOutputTopic<byte[], DeadLetter> deadLetters;

    /**
     * Starts the driver.
     *
     * @param stateDir a temporary directory
     * @param settings indexer settings on top of the test defaults (1 partition)
     */
    IndexerDriver(final Path stateDir, final Map<String, ?> settings) {
        final Map<String, Object> all = new HashMap<>();
        all.put(Topics.TOPIC_PARTITIONS_CONFIG, "1");
        all.put(IndexerConfig.STATE_DIR_CONFIG, stateDir.toString());
        all.put("bootstrap.servers", "unused:9092");
        all.putAll(settings);
        config = IndexerConfig.from(all);
        driver = new TopologyTestDriver(
                new IndexerTopology(config).build(), IndexerTopology.streamsProperties(config), START);
        final Topics topics = config.topics();
        features = driver.createInputTopic(
                topics.features().name(),
                topics.features().keySerde().serializer(),
                topics.features().valueSerde().serializer());
        rawFeatures = driver.createInputTopic(
                topics.features().name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        labels = driver.createInputTopic(
                topics.labels().name(),
                topics.labels().keySerde().serializer(),
                topics.labels().valueSerde().serializer());
        queries = driver.createInputTopic(
                topics.queryVectors().name(),
                topics.queryVectors().keySerde().serializer(),
                topics.queryVectors().valueSerde().serializer());
        rawQueries = driver.createInputTopic(
                topics.queryVectors().name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        results = driver.createOutputTopic(
                topics.results().name(),
                topics.results().keySerde().deserializer(),
                topics.results().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(
                topics.deadLetters().name(),
                topics.deadLetters().keySerde().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    IndexerConfig config() {
        return config;
    }

    /** The driver's wall clock: a record with this timestamp is fresh, so its shard answers at once. */
    Instant now() {
        return START.plusMillis(elapsedMs);
    }

    private long elapsedMs;

    void advance(final Duration duration) {
        elapsedMs += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    /** A feature as producers from before class names send it: an int label (its class is the number) or none. */
    void feature(final String id, final float[] vector, final Integer label) {
        feature(id, vector, label, null);
    }

    void feature(final String id, final float[] vector, final Integer label, final String className) {
        features.pipeInput(
                id,
                FeatureEvent.newBuilder()
                        .setId(id)
                        .setVector(VectorCodec.encode(vector))
                        .setLabel(label)
                        .setClassName(className)
                        .setModelVersion(7)
                        .setStep(1)
                        .setTimestampMs(0)
                        .build(),
                now());
    }

    void removeFeature(final String id) {
        features.pipeInput(id, null, now());
    }

    void rawFeature(final byte[] key, final byte[] value) {
        rawFeatures.pipeInput(key, value, now());
    }

    /** A legacy label: only the int, so its class is named by the number. */
    void label(final String id, final int label) {
        label(id, label, null);
    }

    void label(final String id, final int label, final String className) {
        labels.pipeInput(
                id,
                LabelEvent.newBuilder()
                        .setId(id)
                        .setLabel(label)
                        .setClassName(className)
                        .build(),
                now());
    }

    void removeLabel(final String id) {
        labels.pipeInput(id, null, now());
    }

    void query(final String id, final float[] vector, final int k) {
        query(id, vector, k, now());
    }

    void query(final String id, final float[] vector, final int k, final Instant timestamp) {
        queries.pipeInput(id, queryVector(id, vector, k), timestamp);
    }

    /** A query vector as the embedder sends it for a query that carries a request id. */
    void query(final String id, final String requestId, final float[] vector, final int k, final Instant timestamp) {
        final QueryVector query = queryVector(id, vector, k);
        query.setRequestId(requestId);
        queries.pipeInput(id, query, timestamp);
    }

    static QueryVector queryVector(final String id, final float[] vector, final int k) {
        return QueryVector.newBuilder()
                .setQueryId(id)
                .setVector(VectorCodec.encode(vector))
                .setModelVersion(7)
                .setK(k)
                .setReplyKey(null)
                .setQueryTimestampMs(100)
                .setEmbeddedTimestampMs(200)
                .build();
    }

    void rawQuery(final byte[] key, final byte[] value) {
        rawQueries.pipeInput(key, value, now());
    }

    /** Writes a partial straight into the internal partials topic, as a shard would. */
    void partial(final KnnPartial partial) {
        final String topic = config.applicationId() + "-" + IndexerTopology.KNN_PARTIALS + "-repartition";
        driver.createInputTopic(topic, Serdes.String().serializer(), new KnnPartialSerde().serializer())
                .pipeInput(partial.query().requestId(), partial, now());
    }

    List<ClassificationResult> results() {
        return results.readValuesToList();
    }

    List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
