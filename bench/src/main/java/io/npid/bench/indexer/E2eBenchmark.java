package io.npid.bench.indexer;

import io.npid.bench.data.RandomVectors;
import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.broker.EmbeddedKafkaBroker;
import io.npid.indexer.IndexerApp;
import io.npid.indexer.IndexerConfig;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.ClientDefaults;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.VectorCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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

    static final int DIM = 128;
    static final Duration WAIT = Duration.ofMinutes(5);

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
                final E2eQueries bench = new E2eQueries(topics, producer, results, options.k());
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
            final E2eQueries bench, final Admin admin, final IndexerConfig config, final float[] vectors)
            throws Exception {
        final int n = vectors.length / DIM;
        final long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bench.feature("img-" + i, VectorCodec.encode(vectors, i * DIM, DIM), i % 10);
        }
        bench.flush();
        final long produced = System.nanoTime();
        IndexerInputs.awaitCommitted(
                admin,
                config.applicationId(),
                config.topics().features().name(),
                config.topics().features().partitions(),
                WAIT);
        final long done = System.nanoTime();
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("ingest_produce_s", (produced - start) / 1e9);
        figures.put("ingest_features_per_s", n / ((done - start) / 1e9));
        return figures;
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
}
