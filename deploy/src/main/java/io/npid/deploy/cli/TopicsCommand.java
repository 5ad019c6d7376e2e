package io.npid.deploy.cli;

import io.npid.deploy.process.KafkaClientConfig;
import io.npid.deploy.process.SettingException;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.schemas.kafka.TopicMismatch;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code npid topics}: creates the npid topics that are missing and checks that the existing ones have the
 * partitions and settings npid needs.
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create the npid topics, or verify existing ones (partitions, compaction, size limits); raises "
                + "an existing topic's max.message.bytes that is below what npid needs (images and queries hold an image of "
                + "npid.image.max.bytes, from --config, plus its record).")
public final class TopicsCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--verify-only", description = "Create nothing; report what is missing or different.")
    boolean verifyOnly;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "How long to wait for Kafka (default ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        final KafkaClientConfig config = kafka.toConfig();
        if (timeoutSeconds < 1) {
            throw new SettingException("--timeout", timeoutSeconds, "must be at least 1 second");
        }
        // --partitions (KafkaOptions): the data topics' count, the most indexer and embedder instances that work
        final Topics topics = config.configuredTopics();
        kafka.probe(config);
        final PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(config.with(Map.of()))) {
            final TopicAdmin topicAdmin = new TopicAdmin(admin, Duration.ofSeconds(timeoutSeconds));
            if (verifyOnly) {
                final List<TopicMismatch> mismatches = topicAdmin.verify(topics.all());
                mismatches.forEach(m -> out.println("differs  " + m));
                final long ok = topics.all().stream()
                        .filter(t ->
                                mismatches.stream().noneMatch(m -> m.topic().equals(t.name())))
                        .count();
                out.printf(
                        "%d of %d topics as npid needs them%n", ok, topics.all().size());
                if (mismatches.stream().anyMatch(m -> TopicConfig.MAX_MESSAGE_BYTES_CONFIG.equals(m.setting()))) {
                    out.printf(
                            "npid topics without --verify-only raises max.message.bytes (images and queries hold "
                                    + "an image of %s = %,d bytes plus its record)%n",
                            Topics.IMAGE_MAX_BYTES_CONFIG, topics.imageMaxBytes());
                }
                return mismatches.isEmpty() ? ExitCodes.OK : ExitCodes.STATE;
            }
            // raising a size limit loses nothing, so an existing topic that is too small is fixed in place
            for (TopicMismatch raised : topicAdmin.raiseMessageLimits(topics.all())) {
                out.printf(
                        "raised   %s %s from %s to %s%n",
                        raised.topic(), raised.setting(), raised.actual(), raised.expected());
            }
            final TopicAdmin.Report report = topicAdmin.ensure(topics.all());
            for (TopicSpec<?, ?> t : topics.all()) {
                out.printf(
                        "%-8s %s (%d partitions)%n",
                        report.created().contains(t.name()) ? "created" : "ok", t.name(), t.partitions());
            }
        }
        return ExitCodes.OK;
    }
}
