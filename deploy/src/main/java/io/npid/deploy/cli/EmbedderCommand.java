package io.npid.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.deploy.metrics.EmbedderMeters;
import io.npid.deploy.metrics.MetricsOptions;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.deploy.process.KafkaClientConfig;
import io.npid.schemas.kafka.SchemaTopic;
import io.npid.trainer.embed.EmbedderConfig;
import io.npid.trainer.embed.EmbedderService;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code npid embedder}: one query embedder of the consumer group; runs until stopped. */
@Command(
        name = "embedder",
        mixinStandardHelpOptions = true,
        footer = "%nEvery setting with its default and valid values: npid settings embedder",
        description = "Run an embedder: turn query images into vectors with the latest model, for the indexer.")
public final class EmbedderCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    ProcessSettings process;

    @Option(
            names = "--group-id",
            paramLabel = "ID",
            description = "Consumer group of the embedders (npid.embedder.group.id, default npid-embedder).")
    String groupId;

    @Option(
            names = "--max-batch-size",
            paramLabel = "N",
            description = "Most queries embedded in one forward pass (npid.embedder.max.batch.size).")
    Integer maxBatchSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final KafkaClientConfig client = kafka.toConfig();
        final Map<String, Object> own = new LinkedHashMap<>(process.settings("embedder"));
        if (groupId != null) {
            own.put(EmbedderConfig.GROUP_ID_CONFIG, groupId);
        }
        if (maxBatchSize != null) {
            own.put(EmbedderConfig.MAX_BATCH_SIZE_CONFIG, maxBatchSize);
        }
        final EmbedderConfig config = new EmbedderConfig(client.processConfig(own));
        final PrintWriter err = spec.commandLine().getErr();
        // the effective settings (defaults filled in, secrets hidden) as one JSON line: what this process runs with
        err.println("embedder: settings " + new ObjectMapper().writeValueAsString(config.effectiveSettings()));
        kafka.probe(client); // the embedder checks its topics itself, naming each difference
        try (NpidMetrics meters = NpidMetrics.start("embedder", metrics.toSettings());
                SchemaTopic schemas = SchemaTopic.open(config.topics(), client.processConfig(own))) {
            final EmbedderService embedder = EmbedderService.start(config, new EmbedderMeters(meters.registry()));
            meters.health(() -> embedder.status().running());
            return ServiceRunner.run("embedder", embedder, embedder.stopped(), err);
        }
    }
}
