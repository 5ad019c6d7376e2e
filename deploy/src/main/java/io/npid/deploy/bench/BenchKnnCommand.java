package io.npid.deploy.bench;

import io.npid.bench.indexer.KnnBenchmark;
import io.npid.bench.indexer.KnnVoteAccuracy;
import io.npid.deploy.process.SettingException;
import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.IndexSettings;
import io.npid.indexer.knn.KernelType;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code npid bench knn}: a shard's kNN index in one form (exact, int8, hnsw): build time, bytes per row, batch
 * and single-query speed, and recall@k against a reference scan.
 */
@Command(
        name = "knn",
        mixinStandardHelpOptions = true,
        description = "kNN index build time, bytes per row, speed (batch and single queries per second) and recall@k "
                + "against a reference scan, for one index form.")
public final class BenchKnnCommand implements Callable<Integer> {

    @Option(
            names = "--n",
            defaultValue = "60000",
            paramLabel = "N",
            description = "Index rows (default ${DEFAULT-VALUE}).")
    int n;

    @Option(
            names = "--dim",
            defaultValue = "128",
            paramLabel = "D",
            description = "Dimension (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(
            names = "--k",
            defaultValue = "200",
            paramLabel = "K",
            description = "Neighbours (default ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--queries",
            defaultValue = "10000",
            paramLabel = "Q",
            description = "Queries of the batch measurement (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(
            names = "--threads",
            defaultValue = "1",
            paramLabel = "T",
            description = "Search threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--kernel",
            defaultValue = "AUTO",
            paramLabel = "auto|vector|scalar",
            description = "Distance kernel (default ${DEFAULT-VALUE}).")
    KernelType kernel;

    @Option(
            names = "--index",
            defaultValue = "exact",
            paramLabel = "exact|int8|hnsw|auto",
            description = "Index form, as npid.indexer.index (default ${DEFAULT-VALUE}).")
    String index;

    @Option(
            names = "--ef-search",
            defaultValue = "300",
            split = ",",
            paramLabel = "EF[,EF...]",
            description = "HNSW candidates per search, at least k are used; a list measures each width on the same "
                    + "graph (default ${DEFAULT-VALUE}).")
    int[] efSearch;

    @Option(
            names = "--build-threads",
            defaultValue = "1",
            paramLabel = "T",
            description = "HNSW graph build worker threads, as npid.indexer.hnsw.build.threads (default "
                    + "${DEFAULT-VALUE}).")
    int buildThreads;

    @Option(
            names = "--ef-construction",
            defaultValue = "100",
            paramLabel = "EF",
            description = "HNSW beam width when inserting (default ${DEFAULT-VALUE}).")
    int efConstruction;

    @Option(
            names = "--hnsw-m",
            defaultValue = "16",
            paramLabel = "M",
            description = "HNSW neighbours per node (default ${DEFAULT-VALUE}).")
    int hnswM;

    @Option(
            names = "--int8-rerank",
            defaultValue = "4",
            paramLabel = "R",
            description = "int8 candidates re-ranked in float per neighbour (default ${DEFAULT-VALUE}).")
    int int8Rerank;

    @Option(
            names = "--clusters",
            defaultValue = "0",
            paramLabel = "C",
            description = "0: directions uniform on the sphere; else rows gather around C centres, like trained "
                    + "features (default ${DEFAULT-VALUE}).")
    int clusters;

    @Option(
            names = "--recall-queries",
            defaultValue = "100",
            paramLabel = "Q",
            description = "Queries checked against the reference scan (default ${DEFAULT-VALUE}).")
    int recallQueries;

    @Option(
            names = "--fashion-mnist",
            paramLabel = "DIR",
            description = "Instead of random vectors: the vote's accuracy on this IDX folder (raw-pixel features, "
                    + "--queries test images) with the exact index and with --index.")
    Path fashionMnist;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || dim < 1 || k < 1 || queries < 1 || threads < 1) {
            throw new SettingException(
                    "--n/--dim/--k/--queries/--threads",
                    n + "/" + dim + "/" + k + "/" + queries + "/" + threads,
                    "must all be at least 1");
        }
        final IndexForm form;
        try {
            form = IndexForm.valueOf(index.toUpperCase(java.util.Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new SettingException("--index", index, "must be exact, int8, hnsw or auto");
        }
        if (java.util.Arrays.stream(efSearch).anyMatch(ef -> ef < 1) || buildThreads < 1) {
            throw new SettingException(
                    "--ef-search/--build-threads",
                    java.util.Arrays.toString(efSearch) + "/" + buildThreads,
                    "must all be at least 1");
        }
        if (efConstruction < 1 || hnswM < 2 || int8Rerank < 1 || clusters < 0 || recallQueries < 0) {
            throw new SettingException(
                    "--ef-construction/--hnsw-m/--int8-rerank/--clusters/--recall-queries",
                    efConstruction + "/" + hnswM + "/" + int8Rerank + "/" + clusters + "/" + recallQueries,
                    "must be at least 1/2/1/0/0");
        }
        final KnnBenchmark.Options d = KnnBenchmark.Options.defaults();
        if (fashionMnist != null) {
            output.report(KnnVoteAccuracy.run(
                    fashionMnist,
                    new IndexSettings(
                            form, d.index().annMinRows(), int8Rerank, hnswM, efConstruction, efSearch[0], buildThreads),
                    k,
                    queries,
                    kernel));
            return 0;
        }
        final KnnBenchmark.Options options = new KnnBenchmark.Options(
                n,
                dim,
                k,
                queries,
                Math.min(d.singleQueries(), queries),
                Math.min(recallQueries, queries),
                threads,
                d.rounds(),
                kernel,
                null,
                d.faissScript(),
                new IndexSettings(
                        form, d.index().annMinRows(), int8Rerank, hnswM, efConstruction, efSearch[0], buildThreads),
                clusters);
        final Map<String, Object> figures = KnnBenchmark.run(options, efSearch);
        output.report(figures);
        return 0;
    }
}
