package io.npid.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.deploy.metrics.MetricsOptions;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.deploy.process.IndexerProcess;
import io.npid.deploy.process.KafkaClientConfig;
import io.npid.indexer.IndexerConfig;
import io.npid.schemas.kafka.SchemaTopic;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code npid indexer}: one instance of the indexer's Kafka Streams application; runs until stopped. */
@Command(
        name = "indexer",
        mixinStandardHelpOptions = true,
        footer = "%nEvery setting with its default and valid values: npid settings indexer",
        description = "Run an indexer instance: hold memory-bank shards and answer query vectors with a kNN vote.")
public final class IndexerCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    ProcessSettings process;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where the shard stores live (npid.indexer.state.dir); keep it on a volume.")
    Path stateDir;

    @Option(
            names = "--application-id",
            paramLabel = "ID",
            description = "Kafka Streams application id (npid.indexer.application.id, default npid-indexer).")
    String applicationId;

    @Option(
            names = "--start-timeout",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description = "How long to wait for the first rebalance (default ${DEFAULT-VALUE} s).")
    int startTimeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final KafkaClientConfig client = kafka.toConfig();
        final Map<String, Object> own = new LinkedHashMap<>(process.settings("indexer"));
        if (stateDir != null) {
            own.put(IndexerConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        if (applicationId != null) {
            own.put(IndexerConfig.APPLICATION_ID_CONFIG, applicationId);
        }
        final IndexerConfig config = IndexerConfig.from(client.processConfig(own));
        final PrintWriter err = spec.commandLine().getErr();
        // the effective settings (defaults filled in, secrets hidden) as one JSON line: what this process runs with
        err.println("indexer: settings " + new ObjectMapper().writeValueAsString(config.effectiveSettings()));
        kafka.probe(client); // the indexer checks its topics itself, naming each difference
        try (NpidMetrics meters = NpidMetrics.start("indexer", metrics.toSettings());
                SchemaTopic schemas = SchemaTopic.open(config.topics(), client.processConfig(own))) {
            final IndexerProcess indexer =
                    IndexerProcess.start(config, meters.registry(), Duration.ofSeconds(startTimeoutSeconds));
            meters.health(indexer::healthy);
            err.println("indexer: running");
            return ServiceRunner.run("indexer", indexer, indexer.stopped(), err);
        }
    }
}
