package io.npid.bench.indexer;

import io.npid.bench.data.RandomVectors;
import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.broker.EmbeddedKafkaBroker;
import io.npid.indexer.IndexerApp;
import io.npid.indexer.IndexerConfig;
import io.npid.schemas.Topics;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.kafka.ClientDefaults;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.VectorCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End-to-end benchmark of the indexer on a broker (the embedded KRaft broker unless {@code --bootstrap} is given):
 * query latency from a QueryVector produced to its result consumed, sustained queries per second, feature ingest
 * rate, and ingest-to-queryable latency (a FeatureEvent produced until a query sent after it finds it), over
 * 60,000 random 128-d features with k=200, for each partition count asked for.
 */
public final class E2eBenchmark {

    private static final int DIM = 128;
    private static final Duration WAIT = Duration.ofMinutes(5);

    private E2eBenchmark() {}

    /**
     * What to measure.
     *
     * @param bootstrap a broker to use, or null to start the embedded one
     * @param features features to ingest
     * @param k neighbours per query
     * @param partitionCounts partition counts to measure, one indexer per count
     * @param streamThreads stream threads of the indexer, 0 for min(partitions, processors)
     * @param latencyQueries queries of the latency measurement
     * @param rate queries per second of the latency measurement (open loop)
     * @param throughputQueries queries sent at once for the sustained rate
     * @param ingestSamples ingest-to-queryable samples
     */
    public record Options(
            String bootstrap,
            int features,
            int k,
            List<Integer> partitionCounts,
            int streamThreads,
            int latencyQueries,
            int rate,
            int throughputQueries,
            int ingestSamples) {

        /**
         * The setting: 60,000 features, k=200, 1 and 4 partitions.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(null, 60_000, 200, List.of(1, 4), 0, 1000, 100, 3000, 100);
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param options what to measure
     * @return the figures, per partition count under {@code runs}
     * @throws Exception if the broker, the indexer or a client fails
     */
    public static Map<String, Object> run(final Options options) throws Exception {
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "e2e");
        report.put("features", options.features());
        report.put("dim", DIM);
        report.put("k", options.k());
        final List<Map<String, Object>> runs = new ArrayList<>();
        EmbeddedKafkaBroker broker = null;
        try {
            String bootstrap = options.bootstrap();
            if (bootstrap == null) {
                broker = EmbeddedKafkaBroker.start(null);
                bootstrap = broker.bootstrapServers();
            }
            report.put("broker", options.bootstrap() == null ? "embedded" : bootstrap);
            final float[] vectors = RandomVectors.unitRows(options.features(), DIM, 42);
            for (final int partitions : options.partitionCounts()) {
                runs.add(runOne(bootstrap, partitions, vectors, options));
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        report.put("runs", runs);
        report.put("available_processors", Runtime.getRuntime().availableProcessors());
        return report;
    }

    private static Map<String, Object> runOne(
            final String bootstrap, final int partitions, final float[] vectors, final Options options)
            throws Exception {
        final Topics topics = Topics.withPrefix(
                        "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".")
                .withPartitions(partitions);
        final int threads = options.streamThreads() > 0
                ? options.streamThreads()
                : Math.min(partitions, Runtime.getRuntime().availableProcessors());
        final Path stateDir = Files.createTempDirectory("npid-e2e");
        final Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put(Topics.TOPIC_PREFIX_CONFIG, topics.prefix());
        settings.put(Topics.TOPIC_PARTITIONS_CONFIG, Integer.toString(partitions));
        settings.put(IndexerConfig.APPLICATION_ID_CONFIG, "npid-e2e-" + UUID.randomUUID());
        settings.put(IndexerConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(IndexerConfig.DIMENSION_CONFIG, Integer.toString(DIM));
        settings.put(IndexerConfig.K_CONFIG, Integer.toString(options.k()));
        settings.put("num.stream.threads", Integer.toString(threads));
        final IndexerConfig config = IndexerConfig.from(settings);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("partitions", partitions);
        figures.put("stream_threads", threads);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
                ResultCollector results = new ResultCollector(bootstrap, topics.results())) {
            TopicAdmin.ensureTopics(admin, topics);
            final KafkaStreams streams = IndexerApp.create(config);
            streams.start();
            try {
                awaitRunning(streams);
                results.start();
                final Bench bench = new Bench(topics, producer, results, options.k());
                figures.putAll(ingest(bench, admin, config, vectors));
                bench.closedLoop("warm", 200, vectors);
                figures.putAll(bench.openLoop(options.latencyQueries(), options.rate(), vectors));
                figures.putAll(bench.sustained(options.throughputQueries(), vectors));
                figures.putAll(bench.ingestToQueryable(options.ingestSamples()));
            } finally {
                streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
                streams.cleanUp();
            }
        }
        return figures;
    }

    /** Produces every feature and waits until the indexer has committed the whole features topic. */
    private static Map<String, Object> ingest(
            final Bench bench, final Admin admin, final IndexerConfig config, final float[] vectors) throws Exception {
        final int n = vectors.length / DIM;
        final long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bench.feature("img-" + i, VectorCodec.encode(vectors, i * DIM, DIM), i % 10);
        }
        bench.producer.flush();
        final long produced = System.nanoTime();
        awaitCommitted(
                admin,
                config.applicationId(),
                config.topics().features().name(),
                config.topics().features().partitions());
        final long done = System.nanoTime();
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("ingest_produce_s", (produced - start) / 1e9);
        figures.put("ingest_features_per_s", n / ((done - start) / 1e9));
        return figures;
    }

    private static void awaitCommitted(final Admin admin, final String group, final String topic, final int partitions)
            throws InterruptedException, ExecutionException {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        final Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            if (ends.entrySet().stream()
                    .allMatch(e -> committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue())) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("The indexer did not consume all features within " + WAIT);
    }

    private static void awaitRunning(final KafkaStreams streams) throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()) {
                throw new IllegalStateException("The indexer is " + streams.state() + ", not RUNNING");
            }
            Thread.sleep(20);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(final String bootstrap) {
        final Map<String, Object> config = ClientDefaults.lowLatencyProducer();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Runs the benchmark from the command line, prints the figures and writes them as JSON with {@code --json}.
     *
     * @param args {@code --features --k --partitions 1,4 --threads --latency-queries --rate --throughput-queries
     *     --ingest-samples --bootstrap HOST:PORT --json PATH}
     * @throws Exception if the benchmark fails
     */
    public static void main(final String[] args) throws Exception {
        final Options d = Options.defaults();
        final Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--features", Integer.toString(d.features()));
        defaults.put("--k", Integer.toString(d.k()));
        defaults.put(
                "--partitions",
                d.partitionCounts().stream().map(String::valueOf).collect(Collectors.joining(",")));
        defaults.put("--threads", "0");
        defaults.put("--latency-queries", Integer.toString(d.latencyQueries()));
        defaults.put("--rate", Integer.toString(d.rate()));
        defaults.put("--throughput-queries", Integer.toString(d.throughputQueries()));
        defaults.put("--ingest-samples", Integer.toString(d.ingestSamples()));
        defaults.put("--bootstrap", null);
        defaults.put("--json", null);
        final BenchArgs parsed = BenchArgs.parse(args, defaults);
        final List<Integer> partitions = new ArrayList<>();
        for (final String p : parsed.get("--partitions").split(",")) {
            partitions.add(Integer.parseInt(p.trim()));
        }
        final Map<String, Object> report = run(new Options(
                parsed.get("--bootstrap"),
                parsed.getInt("--features"),
                parsed.getInt("--k"),
                partitions,
                parsed.getInt("--threads"),
                parsed.getInt("--latency-queries"),
                parsed.getInt("--rate"),
                parsed.getInt("--throughput-queries"),
                parsed.getInt("--ingest-samples")));
        System.out.println(BenchJson.toJson(report));
        if (parsed.get("--json") != null) {
            BenchJson.write(report, parsed.json());
        }
    }

    /** The query side of one run: sends queries and features and measures against the result collector. */
    private static final class Bench {

        private final Topics topics;
        private final KafkaProducer<byte[], byte[]> producer;
        private final ResultCollector results;
        private final int k;
        private int sequence;

        Bench(
                final Topics topics,
                final KafkaProducer<byte[], byte[]> producer,
                final ResultCollector results,
                final int k) {
            this.topics = topics;
            this.producer = producer;
            this.results = results;
            this.k = k;
        }

        void feature(final String id, final java.nio.ByteBuffer vector, final int label) {
            final FeatureEvent event = FeatureEvent.newBuilder()
                    .setId(id)
                    .setVector(vector)
                    .setLabel(label)
                    .setModelVersion(1)
                    .setStep(1)
                    .setTimestampMs(System.currentTimeMillis())
                    .build();
            producer.send(new ProducerRecord<>(
                    topics.features().name(),
                    id.getBytes(StandardCharsets.UTF_8),
                    topics.features().valueSerde().serializer().serialize("", event)));
        }

        /** Sends a query and returns its send time (nanoTime). */
        long query(final String id, final float[] vectors, final int row) {
            final long now = System.currentTimeMillis();
            final QueryVector query = QueryVector.newBuilder()
                    .setQueryId(id)
                    .setVector(VectorCodec.encode(vectors, row * DIM, DIM))
                    .setModelVersion(1)
                    .setK(k)
                    .setQueryTimestampMs(now)
                    .setEmbeddedTimestampMs(now)
                    .build();
            final long sent = System.nanoTime();
            producer.send(new ProducerRecord<>(
                    topics.queryVectors().name(),
                    id.getBytes(StandardCharsets.UTF_8),
                    topics.queryVectors().valueSerde().serializer().serialize("", query)));
            return sent;
        }

        /** A query per row of a pseudo-random walk over the features, so queries look like real images. */
        private int row(final float[] vectors) {
            return (int) ((sequence * 2654435761L) % (vectors.length / DIM));
        }

        void closedLoop(final String name, final int count, final float[] vectors) throws InterruptedException {
            for (int i = 0; i < count; i++) {
                final String id = name + "-" + sequence++;
                query(id, vectors, row(vectors));
                require(results.await(id, WAIT), id);
            }
        }

        Map<String, Object> openLoop(final int count, final int rate, final float[] vectors)
                throws InterruptedException {
            final String[] ids = new String[count];
            final long[] sent = new long[count];
            final long start = System.nanoTime();
            final long interval = 1_000_000_000L / rate;
            for (int i = 0; i < count; i++) {
                // Sleep, not spin: on a small machine a spinning sender takes a core from the indexer.
                final long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                ids[i] = "lat-" + sequence++;
                sent[i] = query(ids[i], vectors, row(vectors));
            }
            final double[] latencies = new double[count];
            final double[] toAnswer = new double[count];
            int partial = 0;
            for (int i = 0; i < count; i++) {
                final ResultCollector.Received r = require(results.await(ids[i], WAIT), ids[i]);
                latencies[i] = (r.nanos() - sent[i]) / 1e6;
                // Wall-clock part inside the indexer: query sent -> merge wrote the result (same host clock).
                toAnswer[i] = r.result().getAnsweredTimestampMs() - r.result().getQueryTimestampMs();
                partial += r.result().getStatus() == ResultStatus.OK ? 0 : 1;
            }
            final Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("latency_rate_q_per_s", rate);
            figures.putAll(LatencyStats.summary(latencies, "query_latency_ms_"));
            final Map<String, Object> answered = LatencyStats.summary(toAnswer, "sent_to_answered_ms_");
            figures.put("sent_to_answered_ms_p50", answered.get("sent_to_answered_ms_p50"));
            figures.put("sent_to_answered_ms_p99", answered.get("sent_to_answered_ms_p99"));
            figures.put("latency_not_ok", partial);
            return figures;
        }

        Map<String, Object> sustained(final int count, final float[] vectors) throws InterruptedException {
            final String[] ids = new String[count];
            final long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                ids[i] = "tput-" + sequence++;
                query(ids[i], vectors, row(vectors));
            }
            producer.flush();
            long last = start;
            for (final String id : ids) {
                last = Math.max(last, require(results.await(id, WAIT), id).nanos());
            }
            final Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("sustained_queries", count);
            figures.put("sustained_queries_per_s", count / ((last - start) / 1e9));
            return figures;
        }

        /** Produces a new feature, then queries for it until a result has it first; the time that took. */
        Map<String, Object> ingestToQueryable(final int samples) throws InterruptedException {
            final double[] latencies = new double[samples];
            final float[] fresh = RandomVectors.unitRows(samples, DIM, 4242);
            int attempts = 0;
            for (int s = 0; s < samples; s++) {
                final String id = "fresh-" + s;
                final long produced = System.nanoTime();
                feature(id, VectorCodec.encode(fresh, s * DIM, DIM), 3);
                while (true) {
                    attempts++;
                    final String queryId = "find-" + sequence++;
                    query(queryId, fresh, s);
                    final ResultCollector.Received r = require(results.await(queryId, WAIT), queryId);
                    if (!r.result().getNeighbours().isEmpty()
                            && r.result().getNeighbours().get(0).getId().equals(id)) {
                        latencies[s] = (r.nanos() - produced) / 1e6;
                        break;
                    }
                }
            }
            final Map<String, Object> figures =
                    new LinkedHashMap<>(LatencyStats.summary(latencies, "ingest_to_queryable_ms_"));
            figures.put("ingest_to_queryable_queries_per_sample", (double) attempts / samples);
            return figures;
        }

        private static ResultCollector.Received require(final ResultCollector.Received r, final String id) {
            if (r == null) {
                throw new IllegalStateException("No result for " + id + " within " + WAIT);
            }
            return r;
        }
    }
}
