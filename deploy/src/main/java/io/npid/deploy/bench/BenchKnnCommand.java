package io.npid.deploy.bench;

import io.npid.deploy.process.SettingException;
import io.npid.bench.indexer.KnnBenchmark;
import io.npid.indexer.knn.KernelType;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code npid bench knn}: the indexer's exact kNN engine: batch and single-query speed and recall. */
@Command(name = "knn", mixinStandardHelpOptions = true,
    description = "kNN engine speed (batch and single queries per second) and recall@k against a reference scan.")
public final class BenchKnnCommand implements Callable<Integer> {

    @Option(names = "--n", defaultValue = "60000", paramLabel = "N", description = "Index rows (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--dim", defaultValue = "128", paramLabel = "D", description = "Dimension (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--k", defaultValue = "200", paramLabel = "K", description = "Neighbours (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--queries", defaultValue = "10000", paramLabel = "Q",
        description = "Queries of the batch measurement (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "T",
        description = "Search threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--kernel", defaultValue = "AUTO", paramLabel = "auto|vector|scalar",
        description = "Distance kernel (default ${DEFAULT-VALUE}).")
    KernelType kernel;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || dim < 1 || k < 1 || queries < 1 || threads < 1) {
            throw new SettingException("--n/--dim/--k/--queries/--threads", n + "/" + dim + "/" + k + "/" + queries
                + "/" + threads, "must all be at least 1");
        }
        final KnnBenchmark.Options d = KnnBenchmark.Options.defaults();
        final KnnBenchmark.Options options = new KnnBenchmark.Options(n, dim, k, queries,
            Math.min(d.singleQueries(), queries), Math.min(d.recallQueries(), queries), threads, d.rounds(), kernel,
            null, d.faissScript());
        final Map<String, Object> figures = KnnBenchmark.run(options);
        output.report(figures);
        return 0;
    }
}
