package io.npid.bench.scale;

import io.npid.bench.indexer.LatencyStats;
import io.npid.indexer.IndexerApp;
import io.npid.indexer.IndexerConfig;
import io.npid.indexer.IndexerTopology;
import io.npid.schemas.Topics;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.serde.VectorCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One index form of {@code npid bench scale}: the real indexer topology ({@link IndexerApp}) on fresh topics, fed
 * N synthetic features, queried open loop at a fixed rate, then restarted twice (state dir kept; state dir deleted
 * so the shard store comes back from its changelog alone), counting the rows each restart brought back.
 */
final class ScaleIndexerRun {

    private static final int DIM = 128;

    private final ScaleBenchmark.Options options;
    private final String bootstrap;
    private final Path brokerLogDir;
    private final PrintWriter err;
    private final Duration wait;

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
                ScaleResults results = new ScaleResults(bootstrap, topics.results())) {
            TopicAdmin.ensureTopics(admin, topics);
            final long heapEmpty = heapAfterGc();
            final long rssEmpty = rssBytes();
            // Step 1: ingest N features into a running indexer
            KafkaStreams streams = start(config, new AtomicLong());
            results.start();
            final Queries queries = new Queries(topics, producer, results, options.k());
            try {
                figures.putAll(ingest(topics, producer, admin, config));
                // Step 2: warm up, then queries at a fixed rate, open loop
                queries.closedLoop(Math.min(50, options.queries()), options.rows(), wait);
                figures.putAll(queries.openLoop(options.queries(), options.rate(), options.rows(), wait));
            } finally {
                stop(streams);
            }
            // Step 3: memory, on disk (state dir after a clean close flushed RocksDB; the changelog on the broker)
            final String changelog = config.applicationId() + "-" + IndexerTopology.SHARD_STORE + "-changelog";
            final long stateBytes = treeBytes(stateDir);
            final long changelogBytes = topicBytes(changelog);
            final long featureBytes = topicBytes(topics.features().name());
            figures.put("state_dir_bytes_per_row", (double) stateBytes / options.rows());
            figures.put("changelog_bytes_per_row", (double) changelogBytes / options.rows());
            figures.put("features_topic_bytes_per_row", (double) featureBytes / options.rows());
            // Step 4: restart with the state dir kept; the heap then holds the restored index and no ingest
            // buffers, and what closing the indexer frees is its share of the heap
            figures.putAll(restart("restore_state_dir", config, queries, true));
            figures.put("heap_before_indexer_bytes", heapEmpty);
            figures.put("rss_before_indexer_bytes", rssEmpty);
            // Step 5: restart with the state dir deleted: the shard store comes from its changelog alone
            deleteTree(stateDir);
            Files.createDirectories(stateDir);
            figures.putAll(restart("restore_changelog", config, queries, false));
        } finally {
            deleteTree(stateDir);
        }
        return figures;
    }

    /** Restarts the indexer, times it to RUNNING, counts the shard store's rows and checks queries find rows. */
    private Map<String, Object> restart(
            final String name, final IndexerConfig config, final Queries queries, final boolean measureHeap)
            throws Exception {
        final AtomicLong restored = new AtomicLong();
        final long start = System.nanoTime();
        final KafkaStreams streams = start(config, restored);
        final double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "%s: RUNNING after %.1f s%n", name, seconds);
        final Map<String, Object> figures = new LinkedHashMap<>();
        long heapRunning = 0;
        try {
            figures.put(name + "_s", seconds);
            figures.put(name + "_changelog_records", restored.get());
            figures.put(name + "_rows", countRowsWhenQueryable(streams));
            final int checks = Math.min(20, options.rows());
            figures.put(name + "_self_hits", queries.selfHits(checks, options.rows(), wait));
            figures.put(name + "_checked", checks);
            if (measureHeap) {
                heapRunning = heapAfterGc();
                figures.put("heap_running_bytes", heapRunning);
                figures.put("rss_running_bytes", rssBytes());
            }
        } finally {
            stop(streams);
        }
        if (measureHeap) {
            final long heapClosed = heapAfterGc();
            figures.put("heap_closed_bytes", heapClosed);
            figures.put("heap_bytes_per_row", (double) (heapRunning - heapClosed) / options.rows());
        }
        return figures;
    }

    private KafkaStreams start(final IndexerConfig config, final AtomicLong restored) throws InterruptedException {
        final KafkaStreams streams = IndexerApp.create(config);
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(
                    final TopicPartition partition, final String store, final long start, final long end) {}

            @Override
            public void onBatchRestored(
                    final TopicPartition partition, final String store, final long end, final long count) {
                if (IndexerTopology.SHARD_STORE.equals(store)) {
                    restored.addAndGet(count);
                }
            }

            @Override
            public void onRestoreEnd(final TopicPartition partition, final String store, final long total) {}
        });
        streams.start();
        final long deadline = System.nanoTime() + wait.toNanos();
        // RUNNING alone is not enough: a rebalance may finish before every shard is assigned (the previous
        // instance's leave not yet seen), so wait until active tasks own every features partition
        while (streams.state() != KafkaStreams.State.RUNNING
                || ownedFeaturePartitions(streams, config)
                        < config.topics().features().partitions()) {
            if (System.nanoTime() > deadline
                    || !streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                final KafkaStreams.State state = streams.state();
                stop(streams);
                throw new IllegalStateException("The indexer is " + state + ", not RUNNING");
            }
            Thread.sleep(10);
        }
        return streams;
    }

    private static long ownedFeaturePartitions(final KafkaStreams streams, final IndexerConfig config) {
        final String features = config.topics().features().name();
        return streams.metadataForLocalThreads().stream()
                .flatMap(t -> t.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(features))
                .count();
    }

    /** Closes, leaving the group so the next instance is assigned at once instead of after a session timeout. */
    private static void stop(final KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
    }

    private long countRowsWhenQueryable(final KafkaStreams streams) throws InterruptedException {
        final long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return countRows(streams);
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                // a rebalance in progress; the tasks come back
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Rows in the shard store over every partition: what {@code init} rebuilt the index from. */
    private static long countRows(final KafkaStreams streams) {
        final ReadOnlyKeyValueStore<String, Object> store = streams.store(StoreQueryParameters.fromNameAndType(
                IndexerTopology.SHARD_STORE, QueryableStoreTypes.<String, Object>keyValueStore()));
        long rows = 0;
        try (KeyValueIterator<String, Object> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                rows++;
            }
        }
        return rows;
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
            final FeatureEvent event = FeatureEvent.newBuilder()
                    .setId(id)
                    .setVector(VectorCodec.encode(vector, 0, DIM))
                    .setLabel(i % 10)
                    .setModelVersion(1)
                    .setStep(1)
                    .setTimestampMs(System.currentTimeMillis())
                    .build();
            producer.send(new ProducerRecord<>(
                    topics.features().name(),
                    id.getBytes(StandardCharsets.UTF_8),
                    topics.features().valueSerde().serializer().serialize("", event)));
            if ((i + 1) % report == 0) {
                err.printf(Locale.ROOT, "ingest: %,d/%,d features sent%n", i + 1, n);
            }
        }
        producer.flush();
        final long produced = System.nanoTime();
        awaitCommitted(
                admin,
                config.applicationId(),
                topics.features().name(),
                topics.features().partitions());
        final long done = System.nanoTime();
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows_produced", n);
        figures.put("ingest_produce_s", (produced - start) / 1e9);
        figures.put("ingest_s", (done - start) / 1e9);
        figures.put("ingest_features_per_s", n / ((done - start) / 1e9));
        return figures;
    }

    private void awaitCommitted(final Admin admin, final String group, final String topic, final int partitions)
            throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        final Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        final long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            if (ends.entrySet().stream()
                    .allMatch(e -> committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("The indexer did not consume all features within " + wait);
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

    /** Bytes of a topic's log segments in the broker's log dir. */
    private long topicBytes(final String topic) throws IOException {
        if (brokerLogDir == null) {
            return -1;
        }
        long bytes = 0;
        try (Stream<Path> dirs = Files.list(brokerLogDir)) {
            for (final Path dir : (Iterable<Path>) dirs::iterator) {
                final String name = dir.getFileName().toString();
                if (name.startsWith(topic + "-")
                        && name.substring(topic.length() + 1).matches("\\d+")) {
                    // segment data only: the broker preallocates its offset and time index files (10 MiB each)
                    try (Stream<Path> segments = Files.list(dir)) {
                        bytes += segments.filter(f -> f.toString().endsWith(".log"))
                                .mapToLong(f -> f.toFile().length())
                                .sum();
                    }
                }
            }
        }
        return bytes;
    }

    private static long treeBytes(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0; // a RocksDB file removed by compaction while walking
                        }
                    })
                    .sum();
        }
    }

    /** Heap in use after full collections (repeated: one GC can leave finalizable or soft garbage). */
    private static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path path :
                    paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The process's resident set (Linux), or -1 elsewhere: includes RocksDB's off-heap memory. */
    static long rssBytes() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The query side: sends query vectors that are rows of the bank and measures against the results. */
    private static final class Queries {
        private final Topics topics;
        private final KafkaProducer<byte[], byte[]> producer;
        private final ScaleResults results;
        private final int k;
        private final float[] vector = new float[DIM];
        private long sequence;

        Queries(
                final Topics topics,
                final KafkaProducer<byte[], byte[]> producer,
                final ScaleResults results,
                final int k) {
            this.topics = topics;
            this.producer = producer;
            this.results = results;
            this.k = k;
        }

        /** A pseudo-random walk over the rows. */
        private int nextRow(final int rows) {
            return (int) ((sequence * 2654435761L) % rows);
        }

        private String send(final String id, final int row) {
            ScaleBenchmark.vector(row, vector);
            final long now = System.currentTimeMillis();
            final QueryVector query = QueryVector.newBuilder()
                    .setQueryId(id)
                    .setVector(VectorCodec.encode(vector, 0, DIM))
                    .setModelVersion(1)
                    .setK(k)
                    .setQueryTimestampMs(now)
                    .setEmbeddedTimestampMs(now)
                    .build();
            producer.send(new ProducerRecord<>(
                    topics.queryVectors().name(),
                    id.getBytes(StandardCharsets.UTF_8),
                    topics.queryVectors().valueSerde().serializer().serialize("", query)));
            producer.flush();
            return id;
        }

        void closedLoop(final int count, final int rows, final Duration wait) throws InterruptedException {
            for (int i = 0; i < count; i++) {
                final String id = send("warm-" + sequence, nextRow(rows));
                sequence++;
                if (results.await(id, wait) == null) {
                    throw new IllegalStateException("No result for " + id + " within " + wait);
                }
            }
        }

        /** Queries for rows of the bank, one at a time; how many found their own row first. */
        int selfHits(final int count, final int rows, final Duration wait) throws InterruptedException {
            int hits = 0;
            for (int i = 0; i < count; i++) {
                final int row = nextRow(rows);
                final String id = send("check-" + sequence, row);
                sequence++;
                final ScaleResults.Received r = results.await(id, wait);
                if (r != null
                        && !r.result().getNeighbours().isEmpty()
                        && r.result().getNeighbours().get(0).getId().equals(ScaleBenchmark.id(row))) {
                    hits++;
                }
            }
            return hits;
        }

        Map<String, Object> openLoop(final int count, final int rate, final int rows, final Duration wait)
                throws InterruptedException {
            final String[] ids = new String[count];
            final int[] queried = new int[count];
            final long[] sent = new long[count];
            final long interval = 1_000_000_000L / rate;
            final long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                // sleep, not spin: on a small machine a spinning sender takes a core from the indexer
                final long pause = start + i * interval - System.nanoTime();
                if (pause > 0) {
                    LockSupport.parkNanos(pause);
                }
                queried[i] = nextRow(rows);
                ids[i] = "q-" + sequence++;
                sent[i] = System.nanoTime();
                send(ids[i], queried[i]);
            }
            final double sendSeconds = (System.nanoTime() - start) / 1e9;
            final double[] latencies = new double[count];
            int answered = 0;
            int ok = 0;
            int selfHits = 0;
            for (int i = 0; i < count; i++) {
                final ScaleResults.Received r = results.await(ids[i], wait);
                if (r == null) {
                    continue;
                }
                latencies[answered++] = (r.nanos() - sent[i]) / 1e6;
                ok += r.result().getStatus() == ResultStatus.OK ? 1 : 0;
                if (!r.result().getNeighbours().isEmpty()
                        && r.result().getNeighbours().get(0).getId().equals(ScaleBenchmark.id(queried[i]))) {
                    selfHits++;
                }
            }
            final double[] measured = java.util.Arrays.copyOf(latencies, answered);
            java.util.Arrays.sort(measured);
            final Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("query_rate_target_q_per_s", rate);
            figures.put("query_rate_achieved_q_per_s", count / sendSeconds);
            figures.put("queries_sent", count);
            figures.put("queries_answered", answered);
            figures.put("queries_ok", ok);
            figures.put("queries_self_hit", selfHits);
            figures.put("query_p50_ms", answered == 0 ? Double.NaN : LatencyStats.percentile(measured, 0.50));
            figures.put("query_p99_ms", answered == 0 ? Double.NaN : LatencyStats.percentile(measured, 0.99));
            return figures;
        }
    }
}
