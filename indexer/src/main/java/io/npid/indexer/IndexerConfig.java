package io.npid.indexer;

import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.KernelType;
import io.npid.indexer.knn.KnnVote;
import io.npid.schemas.Topics;
import io.npid.schemas.config.ConfigReader;
import io.npid.schemas.config.SecretMasker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer's immutable, validated configuration: kNN settings, merge timeout, processing guarantee, state
 * directory, the topic registry, and Kafka client properties passed through untouched.
 *
 * <p>Built from one map, e.g. the process's properties file: {@code npid.indexer.*} keys are declared below,
 * {@code npid.topic.*} keys build the {@link Topics} registry, other {@code npid.*} keys belong to other processes
 * and are ignored, and every key not starting with {@code npid.} is a Kafka client setting (bootstrap servers,
 * SASL/SSL, {@code num.stream.threads}, ...). Every value is checked before anything starts; a bad one fails with
 * "Invalid value V for configuration K: reason".
 *
 * <p>Why one file of this length: the indexer's settings are declared, documented and read here, one declaration and
 * one typed accessor per setting; splitting them would part a setting from its accessor.
 */
public final class IndexerConfig {

    /** {@code npid.indexer.application.id}: the Kafka Streams application id. */
    public static final String APPLICATION_ID_CONFIG = "npid.indexer.application.id";

    private static final String APPLICATION_ID_DOC = "Kafka Streams application id: the consumer group, and the "
            + "prefix of the indexer's internal topics and state directories. Default npid-indexer.";
    /** {@code npid.knn.k} (was npid.indexer.k): neighbours that vote when a query does not say. */
    public static final String K_CONFIG = "npid.knn.k";

    private static final String K_DOC =
            "Neighbours that vote when a query does not ask for a k. Default 200, " + "1..npid.knn.k.max.";
    /** {@code npid.knn.k.max} (was npid.indexer.k.max): the largest k a query may ask for. */
    public static final String K_MAX_CONFIG = "npid.knn.k.max";

    private static final String K_MAX_DOC = "The largest k a query may ask for; larger ones are answered ERROR "
            + "(invalid-k). Bounds the size of partial results. Default 1000, 1..10000.";
    /** {@code npid.knn.temperature} (was npid.indexer.temperature): the vote temperature T. */
    public static final String TEMPERATURE_CONFIG = "npid.knn.temperature";

    private static final String TEMPERATURE_DOC = "Vote temperature T: each neighbour adds exp(similarity / T) to "
            + "its class. Default 0.07 (the paper), greater than 0.";
    /** {@code npid.low.dim} (was npid.indexer.dimension): values per feature vector, the trainer's embedding size. */
    public static final String DIMENSION_CONFIG = "npid.low.dim";

    private static final String DIMENSION_DOC = "Values per feature and query vector: the trainer's embedding size "
            + "(the same key sets both); other sizes go to dead-letters (wrong-dimension). Default 128, 1..65536.";
    /** {@code npid.indexer.merge.timeout.ms}: how long the merge waits for every shard. */
    public static final String MERGE_TIMEOUT_MS_CONFIG = "npid.indexer.merge.timeout.ms";

    private static final String MERGE_TIMEOUT_MS_DOC = "Milliseconds the merge waits, after a query's first "
            + "partial result, for every partition's; then it answers with what arrived, status PARTIAL. Default "
            + "10000, 1..3600000.";
    /** {@code npid.indexer.processing.guarantee}: at-least-once or exactly-once. */
    public static final String PROCESSING_GUARANTEE_CONFIG = "npid.indexer.processing.guarantee";

    private static final String PROCESSING_GUARANTEE_DOC = "Kafka Streams processing guarantee: at_least_once "
            + "(default; lowest latency, a crash may repeat work but the merge still answers a query once) or "
            + "exactly_once_v2 (transactions; results become visible at each commit).";
    /** {@code npid.indexer.state.dir}: where the shard stores live. */
    public static final String STATE_DIR_CONFIG = "npid.indexer.state.dir";

    private static final String STATE_DIR_DOC = "Directory of the RocksDB shard stores. Default "
            + "<java.io.tmpdir>/npid-indexer; use a persistent volume in a cluster so restarts skip the restore.";
    /** {@code npid.indexer.query.batch.max}: the most queries a shard scores in one pass. */
    public static final String QUERY_BATCH_MAX_CONFIG = "npid.indexer.query.batch.max";

    private static final String QUERY_BATCH_MAX_DOC =
            "The most waiting queries a shard scores in one pass over " + "its rows. Default 64, 1..4096.";
    /** {@code npid.indexer.query.batch.lag.ms}: when a shard batches queries instead of answering at once. */
    public static final String QUERY_BATCH_LAG_MS_CONFIG = "npid.indexer.query.batch.lag.ms";

    private static final String QUERY_BATCH_LAG_MS_DOC = "A query that reaches its shard this many milliseconds "
            + "or more after its record's timestamp shows the shard is behind, so it is held (with the queries "
            + "queued behind it) until npid.indexer.query.batch.max are waiting or the poll's records are done; a "
            + "fresher query is answered at once. Default 5, 1..60000.";
    /** {@code npid.indexer.kernel}: which kNN kernel runs. */
    public static final String KERNEL_CONFIG = "npid.indexer.kernel";

    private static final String KERNEL_DOC = "kNN kernel: auto (the Vector API kernel when the JVM has "
            + "--add-modules jdk.incubator.vector and AVX-512, else plain loops), vector, or scalar. Default auto.";
    /** {@code npid.indexer.index}: how a shard searches its rows. */
    public static final String INDEX_CONFIG = "npid.indexer.index";

    private static final String INDEX_DOC = "How a shard finds a query's neighbours: exact (brute force over float "
            + "rows, the reference), int8 (int8 codes on the heap and no float rows: a scan over the codes, then an "
            + "exact float re-rank of the best npid.indexer.int8.rerank x k with vectors read from the shard's "
            + "RocksDB store), hnsw (Lucene's HNSW graph kept up to date as features stream in, then an "
            + "exact float re-rank), or auto (exact below npid.indexer.ann.min.rows rows in a shard, hnsw from "
            + "then on unless the graph's recall@200 on a sample of the shard's rows is under 0.9). Default auto.";
    /** {@code npid.indexer.ann.min.rows}: the shard size from which {@code auto} switches to HNSW. */
    public static final String ANN_MIN_ROWS_CONFIG = "npid.indexer.ann.min.rows";

    private static final String ANN_MIN_ROWS_DOC = "With npid.indexer.index=auto, a shard builds its HNSW graph "
            + "and searches it once it holds this many rows; below it, exact search is as fast. Default 200000, "
            + "1..2000000000.";
    /** {@code npid.indexer.int8.rerank}: candidates re-ranked in float per neighbour asked for. */
    public static final String INT8_RERANK_CONFIG = "npid.indexer.int8.rerank";

    private static final String INT8_RERANK_DOC = "With the int8 index, the int8 scan keeps this many candidates "
            + "per neighbour asked for (k x this) and re-ranks them with their float vectors, one read of the shard's "
            + "RocksDB store per candidate. Default 4, 1..64.";
    /** {@code npid.indexer.hnsw.m}: HNSW graph degree. */
    public static final String HNSW_M_CONFIG = "npid.indexer.hnsw.m";

    private static final String HNSW_M_DOC =
            "HNSW: neighbours kept per node (level 0 keeps twice as many). " + "Default 16, 2..512.";
    /** {@code npid.indexer.hnsw.ef.construction}: HNSW beam width when inserting. */
    public static final String HNSW_EF_CONSTRUCTION_CONFIG = "npid.indexer.hnsw.ef.construction";

    private static final String HNSW_EF_CONSTRUCTION_DOC = "HNSW: candidates considered when a row is inserted; "
            + "higher builds a better graph, slower. Default 100, 1..4096.";
    /** {@code npid.indexer.hnsw.ef.search}: HNSW beam width when searching. */
    public static final String HNSW_EF_SEARCH_CONFIG = "npid.indexer.hnsw.ef.search";

    private static final String HNSW_EF_SEARCH_DOC = "HNSW: candidates a search collects before the exact "
            + "re-rank, at least k (the larger of the two is used); higher is closer to exact, slower. Default "
            + "300, 1..100000.";
    /** {@code npid.indexer.hnsw.build.threads}: worker threads of a background HNSW graph build. */
    public static final String HNSW_BUILD_THREADS_CONFIG = "npid.indexer.hnsw.build.threads";

    private static final String HNSW_BUILD_THREADS_DOC = "HNSW: worker threads of a graph build (the first "
            + "build, a rebuild that drops removed rows, the build after a restore), which runs beside the stream "
            + "thread while searches use the old graph or exact search. 1 leaves a core of a 2-core machine to the "
            + "stream thread; raise it on larger machines. Default 1, 1..64.";

    private static final Logger LOG = LoggerFactory.getLogger(IndexerConfig.class);
    private static final String OWN_PREFIX = "npid.indexer.";
    private static final String NPID_PREFIX = "npid.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    APPLICATION_ID_CONFIG,
                    Type.STRING,
                    "npid-indexer",
                    new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.HIGH,
                    APPLICATION_ID_DOC)
            .define(K_CONFIG, Type.INT, KnnVote.DEFAULT_K, Range.between(1, 10_000), Importance.HIGH, K_DOC)
            .define(K_MAX_CONFIG, Type.INT, 1000, Range.between(1, 10_000), Importance.MEDIUM, K_MAX_DOC)
            .define(TEMPERATURE_CONFIG, Type.DOUBLE, KnnVote.DEFAULT_TEMPERATURE, Importance.HIGH, TEMPERATURE_DOC)
            .define(DIMENSION_CONFIG, Type.INT, 128, Range.between(1, 65_536), Importance.HIGH, DIMENSION_DOC)
            .define(
                    MERGE_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    10_000L,
                    Range.between(1, 3_600_000),
                    Importance.MEDIUM,
                    MERGE_TIMEOUT_MS_DOC)
            .define(
                    PROCESSING_GUARANTEE_CONFIG,
                    Type.STRING,
                    StreamsConfig.AT_LEAST_ONCE,
                    ValidString.in(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2),
                    Importance.MEDIUM,
                    PROCESSING_GUARANTEE_DOC)
            .define(
                    STATE_DIR_CONFIG,
                    Type.STRING,
                    Path.of(System.getProperty("java.io.tmpdir"), "npid-indexer")
                            .toString(),
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    STATE_DIR_DOC)
            .define(QUERY_BATCH_MAX_CONFIG, Type.INT, 64, Range.between(1, 4096), Importance.LOW, QUERY_BATCH_MAX_DOC)
            .define(
                    QUERY_BATCH_LAG_MS_CONFIG,
                    Type.LONG,
                    5L,
                    Range.between(1, 60_000),
                    Importance.LOW,
                    QUERY_BATCH_LAG_MS_DOC)
            .define(
                    KERNEL_CONFIG,
                    Type.STRING,
                    "auto",
                    ValidString.in("auto", "vector", "scalar"),
                    Importance.LOW,
                    KERNEL_DOC)
            .define(
                    INDEX_CONFIG,
                    Type.STRING,
                    IndexForm.AUTO.settingName(),
                    ValidString.in("auto", "exact", "int8", "hnsw"),
                    Importance.MEDIUM,
                    INDEX_DOC)
            .define(
                    ANN_MIN_ROWS_CONFIG,
                    Type.INT,
                    200_000,
                    Range.between(1, 2_000_000_000),
                    Importance.LOW,
                    ANN_MIN_ROWS_DOC)
            .define(INT8_RERANK_CONFIG, Type.INT, 4, Range.between(1, 64), Importance.LOW, INT8_RERANK_DOC)
            .define(HNSW_M_CONFIG, Type.INT, 16, Range.between(2, 512), Importance.LOW, HNSW_M_DOC)
            .define(
                    HNSW_EF_CONSTRUCTION_CONFIG,
                    Type.INT,
                    100,
                    Range.between(1, 4096),
                    Importance.LOW,
                    HNSW_EF_CONSTRUCTION_DOC)
            .define(HNSW_EF_SEARCH_CONFIG, Type.INT, 300, Range.between(1, 100_000), Importance.LOW, HNSW_EF_SEARCH_DOC)
            .define(
                    HNSW_BUILD_THREADS_CONFIG,
                    Type.INT,
                    1,
                    Range.between(1, 64),
                    Importance.LOW,
                    HNSW_BUILD_THREADS_DOC);

    private final AbstractConfig values;
    private final Map<String, Object> clientProperties;
    private final Topics topics;
    private final Map<String, String> effectiveSettings;

    private IndexerConfig(final Map<String, ?> given) {
        final ConfigReader read = ConfigReader.read(CONFIG, given, OWN_PREFIX, "npid settings indexer", LOG::warn);
        final Map<String, Object> settings = read.settings();
        values = read.values();
        final double temperature = temperature();
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new ConfigException(TEMPERATURE_CONFIG, temperature, "must be a positive finite number");
        }
        if (k() > maxK()) {
            throw new ConfigException(K_CONFIG, k(), "must not exceed " + K_MAX_CONFIG + " (" + maxK() + ")");
        }
        topics = Topics.fromConfig(settings);
        final Map<String, Object> passThrough = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (!key.startsWith(NPID_PREFIX)) {
                passThrough.put(key, value);
            }
        });
        clientProperties = java.util.Collections.unmodifiableMap(passThrough);
        effectiveSettings = read.effective();
    }

    /**
     * Returns the settings this indexer runs with, for provenance: every key given, every declared key with its
     * value or default, every secret hidden. {@code npid indexer} prints them as one JSON line at start.
     *
     * @return a sorted, unmodifiable map of printable values
     */
    public Map<String, String> effectiveSettings() {
        return effectiveSettings;
    }

    /**
     * Builds and validates a configuration.
     *
     * @param settings {@code npid.*} settings and Kafka client properties
     * @return the configuration
     * @throws ConfigException naming the first invalid setting
     */
    public static IndexerConfig from(final Map<String, ?> settings) {
        return new IndexerConfig(settings);
    }

    /**
     * The defaults, with the default topic registry and no client properties.
     *
     * @return the configuration
     */
    public static IndexerConfig defaults() {
        return new IndexerConfig(Map.of());
    }

    /**
     * Every declared setting with its doc, default and validator, e.g. for {@code npid config --help}.
     *
     * @return the declarations
     */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /**
     * The Kafka Streams application id.
     *
     * @return the Kafka Streams application id
     */
    public String applicationId() {
        return values.getString(APPLICATION_ID_CONFIG);
    }

    /**
     * The default number of voting neighbours.
     *
     * @return the default number of voting neighbours
     */
    public int k() {
        return values.getInt(K_CONFIG);
    }

    /**
     * The largest k a query may ask for.
     *
     * @return the largest k a query may ask for
     */
    public int maxK() {
        return values.getInt(K_MAX_CONFIG);
    }

    /**
     * The vote temperature T.
     *
     * @return the vote temperature T
     */
    public double temperature() {
        return values.getDouble(TEMPERATURE_CONFIG);
    }

    /**
     * Values per vector.
     *
     * @return values per vector
     */
    public int dimension() {
        return values.getInt(DIMENSION_CONFIG);
    }

    /**
     * How long the merge waits for every shard after a query's first partial.
     *
     * @return how long the merge waits for every shard after a query's first partial
     */
    public Duration mergeTimeout() {
        return Duration.ofMillis(values.getLong(MERGE_TIMEOUT_MS_CONFIG));
    }

    /**
     * {@code at_least_once} or {@code exactly_once_v2}.
     *
     * @return {@code at_least_once} or {@code exactly_once_v2}
     */
    public String processingGuarantee() {
        return values.getString(PROCESSING_GUARANTEE_CONFIG);
    }

    /**
     * The state directory.
     *
     * @return the state directory
     */
    public Path stateDir() {
        return Path.of(values.getString(STATE_DIR_CONFIG));
    }

    /**
     * The most queries scored in one pass.
     *
     * @return the most queries scored in one pass
     */
    public int queryBatchMax() {
        return values.getInt(QUERY_BATCH_MAX_CONFIG);
    }

    /**
     * The age in milliseconds from which a query is held for a batch.
     *
     * @return the age in milliseconds from which a query is held for a batch
     */
    public long queryBatchLagMs() {
        return values.getLong(QUERY_BATCH_LAG_MS_CONFIG);
    }

    /**
     * The kNN kernel to run.
     *
     * @return the kNN kernel to run
     */
    public KernelType kernel() {
        return KernelType.valueOf(values.getString(KERNEL_CONFIG).toUpperCase(Locale.ROOT));
    }

    /**
     * How a shard searches its rows.
     *
     * @return the index form, possibly {@link IndexForm#AUTO}
     */
    public IndexForm indexForm() {
        return IndexForm.valueOf(values.getString(INDEX_CONFIG).toUpperCase(Locale.ROOT));
    }

    /**
     * The search settings of a shard's index: form, ANN threshold, int8 re-rank factor and HNSW parameters.
     *
     * @return the index settings
     */
    public io.npid.indexer.knn.IndexSettings indexSettings() {
        return new io.npid.indexer.knn.IndexSettings(
                indexForm(),
                values.getInt(ANN_MIN_ROWS_CONFIG),
                values.getInt(INT8_RERANK_CONFIG),
                values.getInt(HNSW_M_CONFIG),
                values.getInt(HNSW_EF_CONSTRUCTION_CONFIG),
                values.getInt(HNSW_EF_SEARCH_CONFIG),
                values.getInt(HNSW_BUILD_THREADS_CONFIG));
    }

    /** @return the topic registry (prefix and partition count from {@code npid.topic.*}) */
    public Topics topics() {
        return topics;
    }

    /**
     * The Kafka client properties given, unchanged (keys not starting with {@code npid.}).
     *
     * @return the Kafka client properties given, unchanged (keys not starting with {@code npid.})
     */
    public Map<String, Object> clientProperties() {
        return clientProperties;
    }

    /**
     * The effective settings, secrets masked.
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        final Map<String, Object> shown = new TreeMap<>(values.values());
        shown.putAll(SecretMasker.masked(clientProperties));
        return "IndexerConfig" + shown + " " + topics;
    }
}
