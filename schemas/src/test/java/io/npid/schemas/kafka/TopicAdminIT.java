package io.npid.schemas.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaBroker;
import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class TopicAdminIT {

    @Test
    void shouldReportEveryMismatchNamingTopicAndSetting(final EmbeddedKafkaBroker broker) throws Exception {
        final Topics topics = Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix());
        try (Admin admin = broker.createAdmin()) {
            // Step 1: someone created two of our topics by hand, wrongly.
            admin.createTopics(List.of(
                            new NewTopic(topics.features().name(), 2, (short) 1)
                                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")),
                            new NewTopic(topics.checkpoints().name(), 1, (short) 1)
                                    .configs(Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG,
                                            "compact",
                                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                            "1048576"))))
                    .all()
                    .get();

            // Step 2: ensure creates the seven missing topics and reports the two wrong ones.
            final TopicMismatchException e =
                    assertThrows(TopicMismatchException.class, () -> TopicAdmin.ensureTopics(admin, topics));
            assertEquals(
                    List.of(
                            new TopicMismatch(topics.features().name(), "partitions", "4", "2"),
                            new TopicMismatch(topics.features().name(), "cleanup.policy", "compact", "delete"),
                            new TopicMismatch(topics.checkpoints().name(), "max.message.bytes", "67108864", "1048576")),
                    e.mismatches());
            assertTrue(
                    e.getMessage()
                            .contains("topic " + topics.features().name()
                                    + ": cleanup.policy is 'delete', expected 'compact'"),
                    e.getMessage());
            final Set<String> names = admin.listTopics().names().get();
            topics.all().forEach(spec -> assertTrue(names.contains(spec.name()), spec.name() + " exists"));
        }
    }

    @Test
    void shouldAcceptALargerMessageLimitAndACompactDeletePolicyOnlyWhereExpected(final EmbeddedKafkaBroker broker)
            throws Exception {
        final Topics topics = Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix());
        try (Admin admin = broker.createAdmin()) {
            admin.createTopics(List.of(new NewTopic(topics.checkpoints().name(), 1, (short) 1)
                            .configs(Map.of(
                                    TopicConfig.CLEANUP_POLICY_CONFIG,
                                    "compact",
                                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                    "134217728"))))
                    .all()
                    .get();
            final TopicAdmin.Report report = TopicAdmin.ensureTopics(admin, topics);
            assertEquals(List.of(topics.checkpoints().name()), report.verified());
            assertEquals(8, report.created().size());
        }
    }

    @Test
    void shouldRaiseATooSmallImageRecordLimitAndNothingElse(final EmbeddedKafkaBroker broker) throws Exception {
        final Topics topics = Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix());
        final TopicAdmin topicAdmin;
        try (Admin admin = broker.createAdmin()) {
            topicAdmin = new TopicAdmin(admin, TopicAdmin.DEFAULT_TIMEOUT);
            // Step 1: images made before npid sized them (the broker's 1 MiB default), features with 2 partitions
            admin.createTopics(List.of(
                            new NewTopic(topics.images().name(), 4, (short) 1),
                            new NewTopic(topics.features().name(), 2, (short) 1)
                                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"))))
                    .all()
                    .get();
            topicAdmin.awaitVisible(List.of(topics.images(), topics.features()));
            final List<TopicMismatch> before = topicAdmin.verify(List.of(topics.images()));
            assertEquals(1, before.size(), before.toString());
            assertEquals(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, before.get(0).setting());
            assertTrue(before.get(0).toString().endsWith("expected at least '8454144'"), before.toString());

            // Step 2: the size limit is raised; the partition difference is only reported
            final List<TopicMismatch> raised = topicAdmin.raiseMessageLimits(topics.all());

            assertEquals(
                    List.of(topics.images().name()),
                    raised.stream().map(TopicMismatch::topic).toList());
            assertEquals(List.of(), topicAdmin.verify(List.of(topics.images())));
            assertEquals(
                    List.of(new TopicMismatch(topics.features().name(), "partitions", "4", "2")),
                    topicAdmin.verify(List.of(topics.features())));
        }
    }

    @Test
    void shouldCreateEachTopicOnceWhenProcessesRace(final EmbeddedKafkaBroker broker) throws Exception {
        final Topics topics = Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix());
        final ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Admin admin = broker.createAdmin()) {
            final List<Future<TopicAdmin.Report>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(pool.submit(() -> TopicAdmin.ensureTopics(admin, topics)));
            }
            final List<String> created = new ArrayList<>();
            for (final Future<TopicAdmin.Report> run : runs) {
                final TopicAdmin.Report report = run.get();
                created.addAll(report.created());
                assertEquals(9, report.created().size() + report.verified().size(), report.toString());
            }
            assertEquals(9, created.size(), "each topic created exactly once: " + created);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReportMissingTopicsWhenOnlyVerifying(final EmbeddedKafkaBroker broker) {
        final Topics topics = Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix());
        try (Admin admin = broker.createAdmin()) {
            final List<TopicMismatch> mismatches =
                    new TopicAdmin(admin, TopicAdmin.DEFAULT_TIMEOUT).verify(List.of(topics.results()));
            assertEquals(List.of(new TopicMismatch(topics.results().name(), "exists", "true", "false")), mismatches);
        }
    }
}
