package io.npid.bench.scale;

import io.npid.bench.indexer.IndexerInputs;
import io.npid.bench.indexer.ResultCollector;
import io.npid.indexer.IndexerApp;
import io.npid.indexer.IndexerConfig;
import io.npid.indexer.IndexerTopology;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.VectorCodec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One index form of {@code npid bench scale}: the real indexer topology ({@link IndexerApp}) on fresh topics, fed
 * N synthetic features, queried open loop at a fixed rate, then restarted twice (state dir kept; state dir deleted
 * so the shard store comes back from its changelog alone), counting the rows each restart brought back. With the
 * HNSW form the queries and the heap are measured once the background graph builds are done ({@link GraphBuilds}),
 * and the state-dir restart is queried at the same rate again, with the graph then built over every row.
 */
final class ScaleIndexerRun {

    static final int DIM = 128;

    private final ScaleBenchmark.Options options;
    private final String bootstrap;
    private final Path brokerLogDir;
    private final PrintWriter err;
    private final Duration wait;
    private final ScaleIndexerLifecycle lifecycle;

    ScaleIndexerRun(
            final ScaleBenchmark.Options options,
            final String bootstrap,
            final Path brokerLogDir,
            final PrintWriter err) {
        this.options = options;
        this.bootstrap = bootstrap;
        this.brokerLogDir = brokerLogDir;
        this.err = err;
        // generous: a million features on two shared cores take minutes to produce or restore
        this.wait = Duration.ofMinutes(5).plusMillis(options.rows() * 2L);
        this.lifecycle = new ScaleIndexerLifecycle(wait);
    }

    /**
     * Measures one index form.
     *
     * @param form the index form (exact, int8, hnsw), or null to leave the indexer's default
     * @return the figures
     * @throws Exception when the broker, the indexer or a client fails
     */
    Map<String, Object> run(final String form) throws Exception {
        final int partitions = options.partitions();
        final Topics topics = Topics.withPrefix(
                        "scale-" + UUID.randomUUID().toString().substring(0, 8) + ".")
                .withPartitions(partitions);
        // a previous form's last restart may have left an HNSW build running; it would share the core
        GraphBuilds.awaitIdle(wait);
        final Path stateDir = Files.createTempDirectory("npid-bench-scale");
        final Map<String, Object> settings = new HashMap<>(options.indexerSettings());
        settings.put("bootstrap.servers", bootstrap);
        settings.put(Topics.TOPIC_PREFIX_CONFIG, topics.prefix());
        settings.put(Topics.TOPIC_PARTITIONS_CONFIG, Integer.toString(partitions));
        settings.put(IndexerConfig.APPLICATION_ID_CONFIG, "npid-scale-" + UUID.randomUUID());
        settings.put(IndexerConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(IndexerConfig.DIMENSION_CONFIG, Integer.toString(DIM));
        settings.put(IndexerConfig.K_CONFIG, Integer.toString(options.k()));
        settings.putIfAbsent(
                "num.stream.threads",
                Integer.toString(Math.min(partitions, Runtime.getRuntime().availableProcessors())));
        if (form != null) {
            settings.put(IndexerConfig.INDEX_CONFIG, form);
        }
        final IndexerConfig config = IndexerConfig.from(settings);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("index", form == null ? config.indexForm().settingName() : form);
        figures.put("partitions", partitions);
        figures.put("stream_threads", settings.get("num.stream.threads"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                KafkaProducer<byte[], byte[]> producer = producer();
                ResultCollector results = new ResultCollector(bootstrap, topics.results())) {
            TopicAdmin.ensureTopics(admin, topics);
            final long heapEmpty = ScaleFootprint.heapAfterGc();
            final long rssEmpty = ScaleFootprint.rssBytes();
            // Step 1: ingest N features into a running indexer
            KafkaStreams streams = lifecycle.start(config, new AtomicLong());
            results.start();
            final ScaleQueries queries = new ScaleQueries(topics, producer, results, options.k());
            try {
                figures.putAll(ingest(topics, producer, admin, config));
                // HNSW: the graph builds the ingest started finish first (rows added after a build's snapshot
                // stay in the tail that every search scans, as in an indexer whose input has gone quiet)
                final double buildWait = GraphBuilds.awaitIdle(wait);
                figures.put("graph_builds_after_ingest_s", buildWait);
                err.printf(Locale.ROOT, "ingest: graph builds done %.1f s after the last commit%n", buildWait);
                // Step 2: warm up, then queries at a fixed rate, open loop
                queries.closedLoop(Math.min(50, options.queries()), options.rows(), wait);
                figures.putAll(queries.openLoop(options.queries(), options.rate(), options.rows(), wait));
            } finally {
                ScaleIndexerLifecycle.stop(streams);
            }
            // Step 3: memory, on disk (state dir after a clean close flushed RocksDB; the changelog on the broker)
            final String changelog = config.applicationId() + "-" + IndexerTopology.SHARD_STORE + "-changelog";
            final long stateBytes = ScaleFootprint.treeBytes(stateDir);
            final long changelogBytes = ScaleFootprint.topicBytes(brokerLogDir, changelog);
            final long featureBytes =
                    ScaleFootprint.topicBytes(brokerLogDir, topics.features().name());
            figures.put("state_dir_bytes_per_row", (double) stateBytes / options.rows());
            figures.put("changelog_bytes_per_row", (double) changelogBytes / options.rows());
            figures.put("features_topic_bytes_per_row", (double) featureBytes / options.rows());
            // Step 4: restart with the state dir kept; the heap then holds the restored index and no ingest
            // buffers, and what closing the indexer frees is its share of the heap
            figures.putAll(restart("restore_state_dir", config, queries, true));
            figures.put("heap_before_indexer_bytes", heapEmpty);
            figures.put("rss_before_indexer_bytes", rssEmpty);
            // Step 5: restart with the state dir deleted: the shard store comes from its changelog alone
            ScaleFootprint.deleteTree(stateDir);
            Files.createDirectories(stateDir);
            figures.putAll(restart("restore_changelog", config, queries, false));
        } finally {
            ScaleFootprint.deleteTree(stateDir);
        }
        return figures;
    }

    /** Restarts the indexer, times it to RUNNING, counts the shard store's rows and checks queries find rows. */
    private Map<String, Object> restart(
            final String name, final IndexerConfig config, final ScaleQueries queries, final boolean measureHeap)
            throws Exception {
        final AtomicLong restored = new AtomicLong();
        final long start = System.nanoTime();
        final KafkaStreams streams = lifecycle.start(config, restored);
        final double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "%s: RUNNING after %.1f s%n", name, seconds);
        final Map<String, Object> figures = new LinkedHashMap<>();
        long heapRunning = 0;
        try {
            figures.put(name + "_s", seconds);
            figures.put(name + "_changelog_records", restored.get());
            figures.put(name + "_rows", lifecycle.countRowsWhenQueryable(streams));
            if (measureHeap) {
                // HNSW: the restore's one graph build over every row, then the queries of a restored indexer
                final double buildWait = GraphBuilds.awaitIdle(wait);
                figures.put(name + "_graph_builds_s", buildWait);
                err.printf(Locale.ROOT, "%s: graph builds done %.1f s after RUNNING%n", name, buildWait);
            }
            final int checks = Math.min(20, options.rows());
            figures.put(name + "_self_hits", queries.selfHits(checks, options.rows(), wait));
            figures.put(name + "_checked", checks);
            if (measureHeap) {
                queries.closedLoop(Math.min(50, options.queries()), options.rows(), wait);
                queries.openLoop(options.queries(), options.rate(), options.rows(), wait)
                        .forEach((key, value) -> figures.put(name + "_" + key, value));
                heapRunning = ScaleFootprint.heapAfterGc();
                figures.put("heap_running_bytes", heapRunning);
                figures.put("rss_running_bytes", ScaleFootprint.rssBytes());
            }
        } finally {
            ScaleIndexerLifecycle.stop(streams);
        }
        if (measureHeap) {
            final long heapClosed = ScaleFootprint.heapAfterGc();
            figures.put("heap_closed_bytes", heapClosed);
            figures.put("heap_bytes_per_row", (double) (heapRunning - heapClosed) / options.rows());
        }
        return figures;
    }

    /** Produces every feature and waits until the indexer has committed the whole features topic. */
    private Map<String, Object> ingest(
            final Topics topics,
            final KafkaProducer<byte[], byte[]> producer,
            final Admin admin,
            final IndexerConfig config)
            throws Exception {
        final int n = options.rows();
        final float[] vector = new float[DIM];
        final long start = System.nanoTime();
        final long report = Math.max(1, n / 10);
        for (int i = 0; i < n; i++) {
            ScaleBenchmark.vector(i, vector);
            final String id = ScaleBenchmark.id(i);
            IndexerInputs.sendFeature(producer, topics, id, VectorCodec.encode(vector, 0, DIM), i % 10);
            if ((i + 1) % report == 0) {
                err.printf(Locale.ROOT, "ingest: %,d/%,d features sent%n", i + 1, n);
            }
        }
        producer.flush();
        final long produced = System.nanoTime();
        IndexerInputs.awaitCommitted(
                admin,
                config.applicationId(),
                topics.features().name(),
                topics.features().partitions(),
                wait);
        final long done = System.nanoTime();
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows_produced", n);
        figures.put("ingest_produce_s", (produced - start) / 1e9);
        figures.put("ingest_s", (done - start) / 1e9);
        figures.put("ingest_features_per_s", n / ((done - start) / 1e9));
        return figures;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // bulk ingest: full batches; queries are flushed one by one (linger does not apply after flush())
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
