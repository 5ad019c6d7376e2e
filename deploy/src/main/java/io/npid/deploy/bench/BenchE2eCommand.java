package io.npid.deploy.bench;

import io.npid.bench.indexer.E2eBenchmark;
import io.npid.deploy.client.DatasetIngestor;
import io.npid.deploy.client.QueryClient;
import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.client.QueryRequest;
import io.npid.deploy.local.LocalConfig;
import io.npid.deploy.local.LocalDataSet;
import io.npid.deploy.local.LocalImages;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.local.TrainingRecorder;
import io.npid.deploy.metrics.MetricsSettings;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.deploy.process.DirectoryTrees;
import io.npid.deploy.process.LogLevels;
import io.npid.deploy.process.Progress;
import io.npid.deploy.process.SettingException;
import io.npid.deploy.report.Percentiles;
import io.npid.schemas.Topics;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code npid bench e2e}: the whole system on the embedded broker with a full memory bank: query latency (one at a
 * time, query image to result through embedder and indexer), queries per second (many in flight), and how long a
 * newly ingested image takes to become queryable (sent to the images topic until a query with the same pixels finds
 * it among its neighbours: trainer ingest, embedding, feature publication, indexer update). The trainer runs
 * serve-only, so no training steps compete for the CPU. {@code --indexer-only} runs the indexer module's benchmark
 * instead.
 */
@Command(
        name = "e2e",
        mixinStandardHelpOptions = true,
        description =
                "End to end on the embedded broker: query latency, queries/s and ingest-to-queryable latency with "
                        + "a full memory bank (default 60,000 features).")
public final class BenchE2eCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Images to ingest (default Fashion-MNIST where installed, else the synthetic shapes).")
    Path data;

    @Option(
            names = "--features",
            defaultValue = "60000",
            paramLabel = "N",
            description = "Images ingested = features in the index (default ${DEFAULT-VALUE}).")
    int features;

    @Option(
            names = "--queries",
            defaultValue = "500",
            paramLabel = "Q",
            description = "Queries of each latency measurement (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(
            names = "--in-flight",
            defaultValue = "32",
            paramLabel = "F",
            description = "Queries in flight for the throughput measurement (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(
            names = "--fresh-images",
            defaultValue = "50",
            paramLabel = "M",
            description = "New images timed from ingest to queryable (default ${DEFAULT-VALUE}).")
    int freshImages;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            paramLabel = "P",
            description = "Indexer shards (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--indexer-only",
            description = "Measure the indexer alone (random feature and query vectors "
                    + "straight to its topics, no trainer or embedder): the indexer module's E2eBenchmark.")
    boolean indexerOnly;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (queries < 1 || inFlight < 1 || freshImages < 0) {
            throw new SettingException(
                    "--queries/--in-flight/--fresh-images",
                    queries + "/" + inFlight + "/" + freshImages,
                    "queries and in-flight must be at least 1, fresh images 0 or more");
        }
        if (indexerOnly) {
            final E2eBenchmark.Options d = E2eBenchmark.Options.defaults();
            final Map<String, Object> figures = E2eBenchmark.run(new E2eBenchmark.Options(
                    null,
                    features,
                    d.k(),
                    List.of(partitions),
                    d.streamThreads(),
                    queries,
                    d.rate(),
                    d.throughputQueries(),
                    freshImages));
            output.report(figures);
            return 0;
        }
        final PrintWriter err = output.err();
        if (!LogLevels.isVerbose()) {
            LogLevels.quietProcesses();
        }
        final LocalConfig config = new LocalConfig(
                data, false, 1, features, queries + freshImages, "small", 128, partitions, 0, false, null, 42);
        final LocalDataSet dataSet = LocalDataSet.load(config, err);
        final Path state = Files.createTempDirectory("npid-bench-e2e");
        final TrainingRecorder recorder =
                new TrainingRecorder(config.batchSize(), dataSet.train().size());
        final Map<String, Object> figures = new LinkedHashMap<>();
        try (NpidMetrics meters = NpidMetrics.start("bench", MetricsSettings.jmxOnly());
                LocalStack stack = LocalStack.start(
                        config, dataSet, state, meters, recorder, Map.of(StreamingTrainerConfig.TRAIN_CONFIG, false))) {
            // Step 1: fill the bank; the trainer publishes every new image's features at once
            final long start = System.nanoTime();
            try (DatasetIngestor ingestor = new DatasetIngestor(stack.client(), stack.topics())) {
                final DatasetIngestor.Run run = ingestor.start(
                        true,
                        dataSet.name(),
                        new Progress(err, "ingest", "images", dataSet.train().size()),
                        skip -> err.println("ingest: skipped " + skip.getMessage()));
                for (int i = 0; i < Math.min(features, dataSet.train().size()); i++) {
                    run.send(dataSet.train().input(i).withId(String.format(java.util.Locale.ROOT, "bank-%05d", i)));
                }
                run.finish();
            }
            recorder.awaitAllIngested(Math.max(300, features / 50));
            figures.put("features", dataSet.train().size());
            figures.put("ingest_images_per_s", dataSet.train().size() / ((System.nanoTime() - start) / 1e9));
            final LocalImages test = dataSet.test();
            try (QueryClient client = new QueryClient(stack.client(), stack.topics())) {
                // warm-up: the embedder must have a model and the JIT its hot paths before anything is timed
                run(client, test, 0, Math.min(50, queries), "warm", 4, err);
                // Step 2: latency of one query at a time
                final double[] latency = latencies(run(client, test, 0, queries, "single", 1, err));
                figures.put("p50_ms", Percentiles.of(latency, 50));
                figures.put("p99_ms", Percentiles.of(latency, 99));
                // Step 3: throughput with many in flight
                final long t0 = System.nanoTime();
                final List<QueryOutcome> loaded = run(client, test, 0, queries, "load", inFlight, err);
                final double seconds = (System.nanoTime() - t0) / 1e9;
                figures.put("queries_per_s", latencies(loaded).length / seconds);
                final double[] loadedLatency = latencies(loaded);
                figures.put("loaded_p50_ms", Percentiles.of(loadedLatency, 50));
                figures.put("loaded_p99_ms", Percentiles.of(loadedLatency, 99));
                figures.put("in_flight", inFlight);
                // Step 4: ingest-to-queryable of new images
                final double[] fresh = new FreshImageTimer(stack, client).time(test, queries, freshImages, err);
                figures.put("ingest_to_queryable_p50_ms", Percentiles.of(fresh, 50));
                figures.put("ingest_to_queryable_p99_ms", Percentiles.of(fresh, 99));
                figures.put("ingest_to_queryable_images", fresh.length);
                figures.put("ingest_to_queryable_not_found", freshImages - fresh.length);
            }
            figures.put("queries", queries);
            figures.put("partitions", partitions);
            figures.put("data", dataSet.description());
            figures.put("training_during_measurement", false);
        } finally {
            DirectoryTrees.delete(state);
        }
        output.report(figures);
        return 0;
    }

    private static List<QueryOutcome> run(
            final QueryClient client,
            final LocalImages images,
            final int from,
            final int count,
            final String name,
            final int inFlight,
            final PrintWriter err) {
        final List<QueryRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(new QueryRequest(
                    name + "-" + i, images.image((from + i) % images.size(), Topics.DEFAULT_IMAGE_MAX_BYTES), null));
        }
        return client.run(requests, inFlight, Duration.ofSeconds(60), new Progress(err, name, "answers", count));
    }

    private static double[] latencies(final List<QueryOutcome> outcomes) {
        return outcomes.stream()
                .filter(QueryOutcome::answered)
                .mapToDouble(QueryOutcome::latencyMs)
                .toArray();
    }
}
