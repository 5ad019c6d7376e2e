package io.npid.indexer;

import io.npid.indexer.internals.HeldQuerySerde;
import io.npid.indexer.internals.KnnPartial;
import io.npid.indexer.internals.KnnPartialSerde;
import io.npid.indexer.internals.PendingMergeSerde;
import io.npid.indexer.internals.QueryMeta;
import io.npid.indexer.internals.Routed;
import io.npid.indexer.internals.ShardInput;
import io.npid.indexer.internals.ShardRowSerde;
import io.npid.schemas.DeadLetters;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.kafka.ClientDefaults;
import io.npid.schemas.serde.VectorCodec;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the indexer's Kafka Streams topology: feature shards, query scatter, partial top-k per shard, and the
 * merge that votes and writes one result per query.
 *
 * <pre>
 * features ─ feature-decode ─┐                                     (rejected ─> dead-letters)
 * labels ─── label-decode ───┼─ shard [shard-store, shard-held-queries] ─ knn-partials ─ merge [merge-store] ─ results
 * query-vectors ─ query-decode ─ query-scatter (multicast to every partition) ─┘  (rejected ─> dead-letters + results)
 * </pre>
 *
 * <p>The processors are Processor API classes; the DSL wires them because it gives internal repartition topics
 * (query-scatter, knn-partials) that Streams creates and purges. Every node, store and internal topic has an
 * explicit name (constants below), since they become changelog and repartition topic names. Features and labels
 * must be co-partitioned (same key, same partition count); the scatter topic gets that count, so partition p of
 * the scatter topic reaches the task that owns partition p of the features. This class holds no KafkaStreams
 * lifecycle: {@link IndexerApp} builds a KafkaStreams and the deploy module starts and stops it.
 */
public final class IndexerTopology {

    /** Source node of the features topic. */
    public static final String FEATURES_SOURCE = "features-source";
    /** Source node of the labels topic. */
    public static final String LABELS_SOURCE = "labels-source";
    /** Source node of the query-vectors topic. */
    public static final String QUERY_VECTORS_SOURCE = "query-vectors-source";
    /** Processor that decodes features. */
    public static final String FEATURE_DECODE = "feature-decode";
    /** Processor that decodes labels. */
    public static final String LABEL_DECODE = "label-decode";
    /** Processor that decodes and checks query vectors. */
    public static final String QUERY_DECODE = "query-decode";
    /** Internal topic that multicasts each query to every shard ({@code <app id>-query-scatter-repartition}). */
    public static final String QUERY_SCATTER = "query-scatter";
    /** The shard processor. */
    public static final String SHARD = "shard";
    /** Per-partition persistent store: image id -> latest vector, label, model version. */
    public static final String SHARD_STORE = "shard-store";
    /** Per-partition store of the queries a shard holds for its next batch. */
    public static final String HELD_QUERIES_STORE = "shard-held-queries";
    /** Internal topic of partial top-k lists keyed by query id ({@code <app id>-knn-partials-repartition}). */
    public static final String KNN_PARTIALS = "knn-partials";
    /** The merge processor. */
    public static final String MERGE = "merge";
    /** Store of the merges in progress and of answered markers. */
    public static final String MERGE_STORE = "merge-store";
    /** Sink of results. */
    public static final String RESULTS_SINK = "results-sink";

    private static final String ACCEPTED = "-accepted";
    private static final String REJECTED = "-rejected";

    private final IndexerConfig config;
    private final Topics topics;
    private final DeadLetters deadLetters = new DeadLetters(DecodingProcessor.PROCESS);

    /**
     * Creates the builder.
     *
     * @param config the indexer configuration
     * @param topics the topic registry; its partition count is the number of shards
     */
    public IndexerTopology(final IndexerConfig config, final Topics topics) {
        this.config = Objects.requireNonNull(config, "config");
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    /**
     * Creates the builder with the registry of the configuration.
     *
     * @param config the indexer configuration
     */
    public IndexerTopology(final IndexerConfig config) {
        this(config, config.topics());
    }

    /**
     * The Kafka Streams properties of the indexer: low-latency defaults, then the user's client properties, then
     * the settings the indexer owns (application id, processing guarantee, state directory).
     *
     * @param config the indexer configuration
     * @return new properties
     */
    public static Properties streamsProperties(final IndexerConfig config) {
        final Map<String, Object> owned = Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId(),
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee(),
                StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        // A shard holds a batch of queries until the thread's next round; a short poll bounds that wait when
        // the input goes quiet.
        // The indexer has no global store; opting in now (the 5.0 default) silences Streams' start-up warning.
        // Streams checks the setting twice: in KafkaStreams' own config and again in the partition assignor's,
        // which is built from the main consumer's settings only, so the consumer gets it too.
        final Map<String, Object> indexerDefaults = Map.of(
                StreamsConfig.POLL_MS_CONFIG,
                2L,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
                true,
                StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
        return ClientDefaults.toProperties(ClientDefaults.layered(
                ClientDefaults.lowLatencyStreams(), indexerDefaults, config.clientProperties(), owned));
    }

    /**
     * Builds the topology.
     *
     * @return the topology, ready for {@code new KafkaStreams(topology, streamsProperties(config))}
     */
    public Topology build() {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(SHARD_STORE), Serdes.String(), new ShardRowSerde())
                .withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(HELD_QUERIES_STORE), Serdes.String(), new HeldQuerySerde())
                .withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(MERGE_STORE), Serdes.String(), new PendingMergeSerde())
                .withCachingDisabled());
        final int shards = topics.features().partitions();

        // Bytes in, decoded inside the topology: a poison record becomes a dead letter, not a dead thread.
        final KStream<String, ShardInput> features = accepted(
                builder.stream(
                                topics.features().name(),
                                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName(FEATURES_SOURCE))
                        .process(
                                () -> new FeatureDecodeProcessor(config.dimension(), deadLetters),
                                Named.as(FEATURE_DECODE)),
                FEATURE_DECODE,
                false);
        final KStream<String, ShardInput> labels = accepted(
                builder.stream(
                                topics.labels().name(),
                                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName(LABELS_SOURCE))
                        .process(() -> new LabelDecodeProcessor(deadLetters), Named.as(LABEL_DECODE)),
                LABEL_DECODE,
                false);
        final KStream<String, QueryVector> queries = accepted(
                builder.stream(
                                topics.queryVectors().name(),
                                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName(QUERY_VECTORS_SOURCE))
                        .process(() -> new QueryDecodeProcessor(config, deadLetters), Named.as(QUERY_DECODE)),
                QUERY_DECODE,
                true);

        // Every query goes to every shard: one copy per partition of the scatter topic.
        final KStream<String, ShardInput> scattered = queries.repartition(
                        Repartitioned.<String, QueryVector>as(QUERY_SCATTER)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(topics.queryVectors().valueSerde())
                                .withNumberOfPartitions(shards)
                                .withStreamPartitioner(new MulticastPartitioner<>()))
                .mapValues(IndexerTopology::toShardQuery, Named.as(QUERY_SCATTER + "-to-shard"));

        features.merge(labels, Named.as("updates-merge"))
                .merge(scattered, Named.as("shard-inputs-merge"))
                .process(() -> new ShardProcessor(config, shards), Named.as(SHARD), SHARD_STORE, HELD_QUERIES_STORE)
                .repartition(Repartitioned.<String, KnnPartial>as(KNN_PARTIALS)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new KnnPartialSerde())
                        .withNumberOfPartitions(shards))
                .process(() -> new MergeProcessor(config), Named.as(MERGE), MERGE_STORE)
                .to(
                        topics.results().name(),
                        Produced.with(
                                        topics.results().keySerde(),
                                        topics.results().valueSerde())
                                .withName(RESULTS_SINK));
        return builder.build();
    }

    /**
     * Splits a decode step's output: rejections go to dead-letters (and, for queries, their ERROR results to
     * results), the accepted values flow on.
     */
    private <T> KStream<String, T> accepted(
            final KStream<String, Routed<T>> decoded, final String step, final boolean answersErrors) {
        final String route = step + "-route";
        final Map<String, KStream<String, Routed<T>>> branches = decoded.split(Named.as(route))
                .branch((key, routed) -> routed.rejected(), Branched.as(REJECTED))
                .defaultBranch(Branched.as(ACCEPTED));
        final KStream<String, Routed<T>> rejected = branches.get(route + REJECTED);
        rejected.map(
                        (key, routed) -> {
                            final DeadLetter letter = ((Routed.Rejected<T>) routed).deadLetter();
                            return KeyValue.pair(letter.getKey() == null ? null : bytes(letter.getKey()), letter);
                        },
                        Named.as(step + "-dead-letter"))
                .to(
                        topics.deadLetters().name(),
                        Produced.with(
                                        topics.deadLetters().keySerde(),
                                        topics.deadLetters().valueSerde())
                                .withName(step + "-dead-letter-sink"));
        if (answersErrors) {
            rejected.filter(
                            (key, routed) -> ((Routed.Rejected<T>) routed).errorResult() != null,
                            Named.as(step + "-error-filter"))
                    .map(
                            (key, routed) -> {
                                final ClassificationResult error = ((Routed.Rejected<T>) routed).errorResult();
                                final String resultKey =
                                        error.getReplyKey() != null ? error.getReplyKey() : error.getQueryId();
                                return KeyValue.pair(resultKey, error);
                            },
                            Named.as(step + "-error-result"))
                    .to(
                            topics.results().name(),
                            Produced.with(
                                            topics.results().keySerde(),
                                            topics.results().valueSerde())
                                    .withName(step + "-error-result-sink"));
        }
        return branches.get(route + ACCEPTED)
                .mapValues(routed -> ((Routed.Accepted<T>) routed).value(), Named.as(step + "-unwrap"));
    }

    private static ShardInput toShardQuery(final QueryVector query) {
        return new ShardInput.Query(QueryMeta.of(query, query.getK()), VectorCodec.decode(query.getVector()));
    }

    private static byte[] bytes(final java.nio.ByteBuffer buffer) {
        final byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
