package io.npid.bench.indexer;

import io.npid.bench.data.RandomVectors;
import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.indexer.knn.ExactSearcher;
import io.npid.indexer.knn.FlatIndex;
import io.npid.indexer.knn.KernelType;
import io.npid.indexer.knn.TopKResults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark of the exact kNN engine: queries per second in batches and one at a time, and recall against a
 * reference scan, over seeded random unit vectors; optionally FAISS IndexFlatIP on the same data in the same run.
 *
 * <pre>
 * taskset -c 1 java --add-modules jdk.incubator.vector -cp ... io.npid.bench.indexer.KnnBenchmark \
 *     --n 60000 --dim 128 --k 200 --queries 10000 --threads 1 --faiss /usr/bin/python3 --json knn.json
 * </pre>
 */
public final class KnnBenchmark {

    private static final int LABELS = 10;
    private static final String[] CLASS_NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
        "Shirt", "Sneaker", "Bag", "Ankle boot"};
    private static final long SEED = 42;

    private KnnBenchmark() {
    }

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
     */
    public record Options(int n, int dim, int k, int queries, int singleQueries, int recallQueries, int threads,
            int rounds, KernelType kernel, String faissPython, Path faissScript) {

        /**
         * The setting: 60,000 x 128, k=200, 10,000 batch queries, one thread, no FAISS.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(60_000, 128, 200, 10_000, 500, 100, 1, 5, KernelType.AUTO, null,
                    Path.of("bench/faiss_knn.py"));
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param options what to measure
     * @return the figures, as an ordered map ready for JSON ({@code batch_queries_per_s},
     *     {@code single_queries_per_s}, {@code recall_at_k}, {@code faiss}, ...)
     * @throws IOException if the FAISS comparison was asked for and failed
     */
    public static Map<String, Object> run(final Options options) throws IOException {
        final int dim = options.dim();
        final float[] data = RandomVectors.unitRows(options.n(), dim, SEED);
        final float[] queries = RandomVectors.unitRows(options.queries(), dim, SEED + 1);
        final FlatIndex index = new FlatIndex(dim, options.n());
        for (int row = 0; row < options.n(); row++) {
            index.put("img-" + row, RandomVectors.row(data, row, dim));
            index.setClassName("img-" + row, CLASS_NAMES[row % LABELS]);
        }
        final String kernelName = new ExactSearcher(options.k(), options.kernel(),
                ExactSearcher.DEFAULT_BLOCK_ROWS).kernelName();
        warmUp(index, queries, options);

        // Rounds alternate the engines, so that load from other jobs falls on both alike; the headline figure of
        // each is its median round, the best round is listed too.
        final List<Map<String, Object>> rounds = new ArrayList<>();
        final double[] batch = new double[options.rounds()];
        final double[] single = new double[options.rounds()];
        final double[] faissBatch = new double[options.rounds()];
        final double[] faissSingle = new double[options.rounds()];
        Map<String, Object> faissInfo = null;
        for (int round = 0; round < options.rounds(); round++) {
            batch[round] = options.queries() / seconds(() -> searchAll(index, queries, options, false));
            final Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("batch_queries_per_s", batch[round]);
            if (options.faissPython() != null) {
                faissInfo = FaissComparison.run(options.faissPython(), options.faissScript(),
                        data, queries, dim, options.k(), options.singleQueries(), options.threads());
                faissBatch[round] = (double) faissInfo.get("batch_queries_per_s");
                faissSingle[round] = (double) faissInfo.get("single_queries_per_s");
                figures.put("faiss_batch_queries_per_s", faissBatch[round]);
                figures.put("faiss_single_queries_per_s", faissSingle[round]);
            }
            single[round] = Math.min(options.singleQueries(), options.queries())
                    / seconds(() -> searchAll(index, queries, options, true));
            figures.put("single_queries_per_s", single[round]);
            rounds.add(figures);
        }

        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "knn");
        report.put("engine", "npid ExactSearcher");
        report.put("kernel", kernelName);
        report.put("n", options.n());
        report.put("dim", dim);
        report.put("k", options.k());
        report.put("queries", options.queries());
        report.put("single_queries", options.singleQueries());
        report.put("threads", options.threads());
        report.put("batch_queries_per_s", median(batch));
        report.put("single_queries_per_s", median(single));
        report.put("batch_queries_per_s_best", max(batch));
        report.put("single_queries_per_s_best", max(single));
        report.put("recall_at_k", ReferenceScan.recall(index, data, queries, options));
        report.put("recall_queries", Math.min(options.recallQueries(), options.queries()));
        if (faissInfo != null) {
            final Map<String, Object> faiss = new LinkedHashMap<>();
            faiss.put("engine", faissInfo.get("engine"));
            faiss.put("faiss_version", faissInfo.get("faiss_version"));
            faiss.put("batch_queries_per_s", median(faissBatch));
            faiss.put("single_queries_per_s", median(faissSingle));
            faiss.put("batch_queries_per_s_best", max(faissBatch));
            faiss.put("single_queries_per_s_best", max(faissSingle));
            report.put("faiss", faiss);
            report.put("batch_speedup_vs_faiss", median(batch) / median(faissBatch));
            report.put("single_speedup_vs_faiss", median(single) / median(faissSingle));
        }
        report.put("rounds", rounds);
        report.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        report.put("available_processors", Runtime.getRuntime().availableProcessors());
        return report;
    }

    /**
     * Runs the benchmark from the command line, prints the figures and writes them as JSON with {@code --json}.
     *
     * @param args {@code --n --dim --k --queries --single-queries --recall-queries --threads --rounds --kernel
     *     auto|vector|scalar --faiss PYTHON|none --faiss-script PATH --json PATH}
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
        defaults.put("--json", null);
        final BenchArgs parsed = BenchArgs.parse(args, defaults);
        final String faiss = parsed.get("--faiss");
        final Options options = new Options(parsed.getInt("--n"), parsed.getInt("--dim"), parsed.getInt("--k"),
                parsed.getInt("--queries"), parsed.getInt("--single-queries"), parsed.getInt("--recall-queries"),
                parsed.getInt("--threads"), parsed.getInt("--rounds"),
                KernelType.valueOf(parsed.get("--kernel").toUpperCase(Locale.ROOT)),
                "none".equals(faiss) ? null : faiss, Path.of(parsed.get("--faiss-script")));
        final Map<String, Object> report = run(options);
        System.out.println(BenchJson.toJson(report));
        if (parsed.get("--json") != null) {
            BenchJson.write(report, parsed.json());
        }
    }

    private static void warmUp(final FlatIndex index, final float[] queries, final Options options) {
        // Enough calls for C2 to compile the kernels (single and batched) before anything is timed.
        final ExactSearcher searcher = new ExactSearcher(options.k(), options.kernel(),
                ExactSearcher.DEFAULT_BLOCK_ROWS);
        final TopKResults results = new TopKResults();
        final float[] query = new float[options.dim()];
        for (int i = 0; i < 200; i++) {
            System.arraycopy(queries, (i % options.queries()) * options.dim(), query, 0, options.dim());
            searcher.search(index, query, 1, options.k(), results);
        }
        searcher.search(index, queries, Math.min(options.queries(), 1024), options.k(), results);
    }

    /** Searches all batch queries (split over the threads) or the single queries one call each. */
    private static void searchAll(final FlatIndex index, final float[] queries, final Options options,
            final boolean oneAtATime) {
        final int total = oneAtATime ? Math.min(options.singleQueries(), options.queries()) : options.queries();
        final int threads = options.threads();
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            final List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int from = (int) ((long) total * t / threads);
                final int to = (int) ((long) total * (t + 1) / threads);
                parts.add(pool.submit(() -> searchRange(index, queries, from, to, options, oneAtATime)));
            }
            for (final Future<?> part : parts) {
                part.get();
            }
        } catch (final Exception e) {
            throw new IllegalStateException("Search thread failed", e);
        } finally {
            pool.shutdown();
        }
    }

    private static void searchRange(final FlatIndex index, final float[] queries, final int from, final int to,
            final Options options, final boolean oneAtATime) {
        final int dim = options.dim();
        final ExactSearcher searcher = new ExactSearcher(options.k(), options.kernel(),
                ExactSearcher.DEFAULT_BLOCK_ROWS);
        final TopKResults results = new TopKResults();
        if (oneAtATime) {
            final float[] query = new float[dim];
            for (int q = from; q < to; q++) {
                System.arraycopy(queries, q * dim, query, 0, dim);
                searcher.search(index, query, 1, options.k(), results);
            }
        } else {
            final float[] slice = java.util.Arrays.copyOfRange(queries, from * dim, to * dim);
            searcher.search(index, slice, to - from, options.k(), results);
        }
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
}
