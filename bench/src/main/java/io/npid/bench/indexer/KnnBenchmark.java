package io.npid.bench.indexer;

import io.npid.bench.data.RandomVectors;
import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.IndexSettings;
import io.npid.indexer.knn.KernelType;
import io.npid.indexer.knn.RowVectors;
import io.npid.indexer.knn.ShardIndex;
import io.npid.indexer.knn.ShardSearcher;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark of a shard's kNN index in one form (exact, int8 or HNSW): build time, heap bytes per row, queries per
 * second in batches and one at a time, and recall against a reference scan, over seeded unit vectors (uniform on
 * the sphere, or clustered like trained features); optionally FAISS IndexFlatIP on the same data in the same run.
 *
 * <p>Bytes per row are given two ways: {@code bytes_per_row} adds up the index's arrays (vectors, codes, graph as
 * Lucene accounts it, class codes, the id table's arena and hash), and {@code heap_bytes_per_row_measured} is the growth
 * of the used heap (MemoryMXBean, after a full GC before and after the build) divided by the rows. Nothing is held
 * off the heap, so off-heap bytes are 0. The int8 form keeps no float rows: its re-rank reads them from a
 * {@link RowVectors} source, here the benchmark's own rows in memory (not counted), in the indexer the shard's
 * state store, whose cost per read is in {@code npid bench scale}'s query latencies.
 *
 * <pre>
 * taskset -c 1 java --add-modules jdk.incubator.vector -cp ... io.npid.bench.indexer.KnnBenchmark \
 *     --n 60000 --dim 128 --k 200 --queries 10000 --threads 1 --index hnsw --json knn.json
 * </pre>
 */
public final class KnnBenchmark {

    private static final int LABELS = 10;
    private static final String[] CLASS_NAMES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    };
    private static final long SEED = 42;
    private static final String ID_PREFIX = "img-";

    private KnnBenchmark() {}

    /**
     * What to measure.
     *
     * @param n index rows
     * @param dim values per vector
     * @param k neighbours per query
     * @param queries queries of the batch measurement
     * @param singleQueries queries timed one at a time
     * @param recallQueries queries checked against the reference scan
     * @param threads search threads (queries are split between them)
     * @param rounds measurement rounds, alternating the engines; the median round of each figure is the headline,
     *     the best is reported too, all rounds are listed
     * @param kernel which kernel
     * @param faissPython interpreter for the FAISS comparison, or null to skip it
     * @param faissScript path of faiss_knn.py
     * @param index the index form and its parameters (AUTO resolves by row count as in a shard)
     * @param clusters 0 for directions uniform on the sphere, else the number of clusters the rows gather around
     */
    public record Options(
            int n,
            int dim,
            int k,
            int queries,
            int singleQueries,
            int recallQueries,
            int threads,
            int rounds,
            KernelType kernel,
            String faissPython,
            Path faissScript,
            IndexSettings index,
            int clusters) {

        /**
         * The setting: 60,000 x 128, k=200, 10,000 batch queries, one thread, no FAISS.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(
                    60_000,
                    128,
                    200,
                    10_000,
                    500,
                    100,
                    1,
                    5,
                    KernelType.AUTO,
                    null,
                    Path.of("bench/faiss_knn.py"),
                    IndexSettings.of(IndexForm.EXACT),
                    0);
        }
    }

    /**
     * Runs the benchmark with the settings' HNSW search width.
     *
     * @param options what to measure
     * @return the figures, as an ordered map ready for JSON ({@code batch_queries_per_s},
     *     {@code single_queries_per_s}, {@code recall_at_k}, {@code faiss}, ...)
     * @throws IOException if the FAISS comparison was asked for and failed
     */
    public static Map<String, Object> run(final Options options) throws IOException {
        return run(options, new int[] {options.index().hnswEfSearch()});
    }

    /**
     * Runs the benchmark: one build, then speed and recall for each HNSW search width in turn (the other forms
     * ignore the width). The top-level figures are the first width's; {@code by_ef_search} lists every width's.
     *
     * @param options what to measure
     * @param efSearches HNSW search widths, at least one
     * @return the figures, as an ordered map ready for JSON
     * @throws IOException if the FAISS comparison was asked for and failed
     */
    public static Map<String, Object> run(final Options options, final int[] efSearches) throws IOException {
        if (efSearches.length == 0) {
            throw new IllegalArgumentException("At least one HNSW search width is needed");
        }
        final int dim = options.dim();
        final float[] data = options.clusters() == 0
                ? RandomVectors.unitRows(options.n(), dim, SEED)
                : RandomVectors.clusteredRows(options.n(), dim, options.clusters(), SEED);
        final float[] queries = options.clusters() == 0
                ? RandomVectors.unitRows(options.queries(), dim, SEED + 1)
                : RandomVectors.clusteredRows(options.queries(), dim, options.clusters(), SEED + 1);
        // The int8 form re-ranks from a vector source; in the indexer that is the shard's RocksDB store, here the
        // benchmark's own rows on the heap, made before the heap is measured so they are not counted as the index.
        final float[][] byRow = options.index().form() == IndexForm.INT8 ? splitRows(data, options.n(), dim) : null;
        final RowVectors source =
                byRow == null ? null : id -> byRow[Integer.parseInt(id, ID_PREFIX.length(), id.length(), 10)];
        final long heapBefore = usedHeapAfterGc();
        final long buildStart = System.nanoTime();
        final ShardIndex index = new ShardIndex(dim, options.n(), options.index(), source);
        index.beginLoad();
        for (int row = 0; row < options.n(); row++) {
            index.put(ID_PREFIX + row, RandomVectors.row(data, row, dim));
            index.setClassName(ID_PREFIX + row, CLASS_NAMES[row % LABELS]);
        }
        index.endLoad();
        index.awaitSearchStructure();
        final double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        final long heapMeasured = usedHeapAfterGc() - heapBefore;
        final Map<String, Long> heapBytes = index.heapBytes();
        final String kernelName = new ShardSearcher(options.k(), options.kernel()).kernelName();
        final List<Set<String>> expected = ReferenceScan.expected(data, queries, options);

        final List<Map<String, Object>> byEf = new ArrayList<>();
        Map<String, Object> first = null;
        for (final int ef : efSearches) {
            index.setEfSearch(ef);
            KnnSearchRuns.warmUp(index, queries, options);
            final Map<String, Object> figures = measure(index, data, queries, options, first == null);
            final double[] recall = ReferenceScan.recall(index, expected, queries, options);
            figures.put("recall_at_k", recall[0]);
            figures.put("recall_at_k_min", recall[1]);
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("hnsw_ef_search", Math.max(options.k(), ef));
            entry.putAll(figures);
            entry.remove("rounds");
            entry.remove("faiss");
            byEf.add(entry);
            if (first == null) {
                first = figures;
            }
        }

        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "knn");
        report.put("engine", "npid ShardSearcher");
        report.put("index", index.activeForm().settingName());
        report.put("kernel", kernelName);
        report.put("n", options.n());
        report.put("dim", dim);
        report.put("data", options.clusters() == 0 ? "uniform" : options.clusters() + " clusters");
        report.put("k", options.k());
        if (index.activeForm() == IndexForm.INT8) {
            report.put("int8_rerank", options.index().int8Rerank());
            report.put(
                    "int8_vector_source",
                    "in-memory rows of the benchmark, not counted in bytes_per_row; the indexer reads its RocksDB "
                            + "state store instead (npid bench scale measures that)");
        }
        if (index.activeForm() == IndexForm.HNSW) {
            report.put("hnsw_m", options.index().hnswM());
            report.put("hnsw_ef_construction", options.index().hnswEfConstruction());
            report.put("hnsw_build_threads", options.index().hnswBuildThreads());
            report.put("hnsw_build_sample_recall", index.graphSampleRecall());
            report.put("hnsw_ef_search", Math.max(options.k(), efSearches[0]));
        }
        report.put("build_s", buildSeconds);
        report.put("bytes_per_row", (double) heapBytes.get("total") / options.n());
        final Map<String, Object> parts = new LinkedHashMap<>();
        heapBytes.forEach((part, bytes) -> parts.put(part, (double) bytes / options.n()));
        report.put("bytes_per_row_by_part", parts);
        report.put("heap_bytes_per_row_measured", (double) heapMeasured / options.n());
        report.put("off_heap_bytes_per_row", 0.0);
        report.put("queries", options.queries());
        report.put("single_queries", options.singleQueries());
        report.put("threads", options.threads());
        report.putAll(first);
        report.put("recall_queries", Math.min(options.recallQueries(), options.queries()));
        if (efSearches.length > 1) {
            report.put("by_ef_search", byEf);
        }
        report.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        report.put("available_processors", Runtime.getRuntime().availableProcessors());
        return report;
    }

    /** Speed rounds at the index's current search width (and FAISS's, when asked for and {@code withFaiss}). */
    private static Map<String, Object> measure(
            final ShardIndex index,
            final float[] data,
            final float[] queries,
            final Options options,
            final boolean withFaiss)
            throws IOException {
        final int dim = options.dim();
        final boolean faiss = withFaiss && options.faissPython() != null;
        // Rounds alternate the engines, so that load from other jobs falls on both alike; the headline figure of
        // each is its median round, the best round is listed too.
        final List<Map<String, Object>> rounds = new ArrayList<>();
        final double[] batch = new double[options.rounds()];
        final double[] single = new double[options.rounds()];
        final double[] faissBatch = new double[options.rounds()];
        final double[] faissSingle = new double[options.rounds()];
        Map<String, Object> faissInfo = null;
        for (int round = 0; round < options.rounds(); round++) {
            batch[round] = options.queries() / seconds(() -> KnnSearchRuns.searchAll(index, queries, options, false));
            final Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("batch_queries_per_s", batch[round]);
            if (faiss) {
                faissInfo = FaissComparison.run(
                        options.faissPython(),
                        options.faissScript(),
                        data,
                        queries,
                        dim,
                        options.k(),
                        options.singleQueries(),
                        options.threads());
                faissBatch[round] = (double) faissInfo.get("batch_queries_per_s");
                faissSingle[round] = (double) faissInfo.get("single_queries_per_s");
                figures.put("faiss_batch_queries_per_s", faissBatch[round]);
                figures.put("faiss_single_queries_per_s", faissSingle[round]);
            }
            single[round] = Math.min(options.singleQueries(), options.queries())
                    / seconds(() -> KnnSearchRuns.searchAll(index, queries, options, true));
            figures.put("single_queries_per_s", single[round]);
            rounds.add(figures);
        }
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("batch_queries_per_s", median(batch));
        report.put("single_queries_per_s", median(single));
        report.put("batch_queries_per_s_best", max(batch));
        report.put("single_queries_per_s_best", max(single));
        if (faissInfo != null) {
            final Map<String, Object> f = new LinkedHashMap<>();
            f.put("engine", faissInfo.get("engine"));
            f.put("faiss_version", faissInfo.get("faiss_version"));
            f.put("batch_queries_per_s", median(faissBatch));
            f.put("single_queries_per_s", median(faissSingle));
            f.put("batch_queries_per_s_best", max(faissBatch));
            f.put("single_queries_per_s_best", max(faissSingle));
            report.put("faiss", f);
            report.put("batch_speedup_vs_faiss", median(batch) / median(faissBatch));
            report.put("single_speedup_vs_faiss", median(single) / median(faissSingle));
        }
        report.put("rounds", rounds);
        return report;
    }

    /**
     * Runs the benchmark from the command line, prints the figures and writes them as JSON with {@code --json}.
     *
     * @param args {@code --n --dim --k --queries --single-queries --recall-queries --threads --rounds --kernel
     *     auto|vector|scalar --faiss PYTHON|none --faiss-script PATH --index exact|int8|hnsw|auto --ef-search N
     *     --int8-rerank N --hnsw-m N --ef-construction N --hnsw-build-threads N --ann-min-rows N --clusters N --json PATH}
     * @throws IOException if the JSON file cannot be written or FAISS fails
     */
    public static void main(final String[] args) throws IOException {
        final Options d = Options.defaults();
        final Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--n", Integer.toString(d.n()));
        defaults.put("--dim", Integer.toString(d.dim()));
        defaults.put("--k", Integer.toString(d.k()));
        defaults.put("--queries", Integer.toString(d.queries()));
        defaults.put("--single-queries", Integer.toString(d.singleQueries()));
        defaults.put("--recall-queries", Integer.toString(d.recallQueries()));
        defaults.put("--threads", Integer.toString(d.threads()));
        defaults.put("--rounds", Integer.toString(d.rounds()));
        defaults.put("--kernel", "auto");
        defaults.put("--faiss", "none");
        defaults.put("--faiss-script", d.faissScript().toString());
        final IndexSettings i = d.index();
        defaults.put("--index", i.form().settingName());
        defaults.put("--ef-search", Integer.toString(i.hnswEfSearch()));
        defaults.put("--int8-rerank", Integer.toString(i.int8Rerank()));
        defaults.put("--hnsw-m", Integer.toString(i.hnswM()));
        defaults.put("--ef-construction", Integer.toString(i.hnswEfConstruction()));
        defaults.put("--ann-min-rows", Integer.toString(i.annMinRows()));
        defaults.put("--hnsw-build-threads", Integer.toString(i.hnswBuildThreads()));
        defaults.put("--clusters", Integer.toString(d.clusters()));
        defaults.put("--json", null);
        final BenchArgs parsed = BenchArgs.parse(args, defaults);
        final String faiss = parsed.get("--faiss");
        final Options options = new Options(
                parsed.getInt("--n"),
                parsed.getInt("--dim"),
                parsed.getInt("--k"),
                parsed.getInt("--queries"),
                parsed.getInt("--single-queries"),
                parsed.getInt("--recall-queries"),
                parsed.getInt("--threads"),
                parsed.getInt("--rounds"),
                KernelType.valueOf(parsed.get("--kernel").toUpperCase(Locale.ROOT)),
                "none".equals(faiss) ? null : faiss,
                Path.of(parsed.get("--faiss-script")),
                new IndexSettings(
                        IndexForm.valueOf(parsed.get("--index").toUpperCase(Locale.ROOT)),
                        parsed.getInt("--ann-min-rows"),
                        parsed.getInt("--int8-rerank"),
                        parsed.getInt("--hnsw-m"),
                        parsed.getInt("--ef-construction"),
                        parsed.getInt("--ef-search"),
                        parsed.getInt("--hnsw-build-threads")),
                parsed.getInt("--clusters"));
        final Map<String, Object> report = run(options);
        System.out.println(BenchJson.toJson(report));
        if (parsed.get("--json") != null) {
            BenchJson.write(report, parsed.json());
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double median(final double[] values) {
        final double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        final int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double max(final double[] values) {
        return java.util.Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double seconds(final Runnable work) {
        final long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static float[][] splitRows(final float[] data, final int n, final int dim) {
        final float[][] rows = new float[n][];
        for (int row = 0; row < n; row++) {
            rows[row] = RandomVectors.row(data, row, dim);
        }
        return rows;
    }
}
