package io.npid.deploy.bench;

import io.npid.bench.scale.ScaleBenchmark;
import io.npid.deploy.process.LogLevels;
import io.npid.deploy.process.SettingException;
import io.npid.indexer.IndexerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code npid bench scale}: N synthetic features through the real indexer on the embedded broker (ingest rate,
 * restore time from the state dir and from the changelog alone, memory per row, query latency at a fixed rate) for
 * each index form, and the trainer's step and refresh cost with a bank of N rows for each objective.
 */
@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description = "The indexer and the trainer at N rows: ingest rate, restore times, memory per row, query "
                + "p50/p99 at a fixed rate, training step and refresh cost.")
public final class BenchScaleCommand implements Callable<Integer> {

    @Option(
            names = "--rows",
            defaultValue = "100000",
            paramLabel = "N",
            description = "Synthetic 128-d features = bank rows (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            paramLabel = "P",
            description = "Partitions of the indexer's topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--index",
            split = ",",
            paramLabel = "FORM",
            description = "Index forms to measure, e.g. exact,int8,hnsw (" + IndexerConfig.INDEX_CONFIG
                    + "; default: the indexer's default); none for no indexer run.")
    List<String> forms = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "An indexer setting (npid.* or a Kafka Streams property), repeatable.")
    Map<String, String> settings = new TreeMap<>();

    @Option(
            names = "--k",
            defaultValue = "200",
            paramLabel = "K",
            description = "Neighbours per query (default ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--queries",
            defaultValue = "400",
            paramLabel = "Q",
            description = "Queries of the latency measurement (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(
            names = "--rate",
            defaultValue = "20",
            paramLabel = "R",
            description = "Queries per second sent, open loop (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--objectives",
            defaultValue = "softmax,nce",
            split = ",",
            paramLabel = "OBJ",
            description = "Trainer objectives to measure at N, or none (default ${DEFAULT-VALUE}).")
    List<String> objectives;

    @Option(
            names = "--train-steps",
            defaultValue = "10",
            paramLabel = "S",
            description = "Measured training steps per objective (default ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(
            names = "--threads",
            defaultValue = "1",
            paramLabel = "T",
            description = "PyTorch threads of the trainer, 0 for all cores (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--refresh-rows",
            defaultValue = "2000",
            paramLabel = "R",
            description = "Rows of the timed paused refresh; its rate gives the refresh time at N, 0 for none "
                    + "(default ${DEFAULT-VALUE}).")
    int refreshRows;

    @Option(
            names = "--train-set",
            paramLabel = "KEY=VALUE",
            description = "A learner setting (npid.*, e.g. npid.nce.negatives=shared), repeatable.")
    Map<String, String> trainSettings = new TreeMap<>();

    @Mixin
    BenchOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rows < 1) {
            throw new SettingException("--rows", rows, "must be at least 1");
        }
        if (partitions < 1) {
            throw new SettingException("--partitions", partitions, "must be at least 1");
        }
        if (queries < 1 || rate < 1) {
            throw new SettingException("--queries/--rate", queries + "/" + rate, "must both be at least 1");
        }
        if (trainSteps < 1) {
            throw new SettingException("--train-steps", trainSteps, "must be at least 1");
        }
        if (forms.contains("none") && forms.size() > 1) {
            throw new SettingException("--index", String.join(",", forms), "none stands alone");
        }
        if (!LogLevels.isVerbose()) {
            LogLevels.quietProcesses();
        }
        final List<String> measured = objectives.equals(List.of("none")) ? List.of() : objectives;
        final Map<String, Object> figures = ScaleBenchmark.run(
                new ScaleBenchmark.Options(
                        rows,
                        partitions,
                        forms,
                        settings,
                        k,
                        queries,
                        rate,
                        measured,
                        trainSteps,
                        threads,
                        refreshRows,
                        trainSettings),
                spec.commandLine().getErr());
        output.report(figures);
        return 0;
    }
}
