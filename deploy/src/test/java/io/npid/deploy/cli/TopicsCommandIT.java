package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.TopicAdmin;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class TopicsCommandIT {

    @Test
    void shouldCreateMissingTopicsThenFindThemAsNeeded(@BootstrapServers final String bootstrap) {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();

        final CliResult created = CliResult.run(
                "topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--partitions", "2");
        final CliResult again = CliResult.run(
                "topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--partitions", "2");
        final CliResult verified = CliResult.run(
                "topics",
                "--bootstrap-servers",
                bootstrap,
                "--topic-prefix",
                prefix,
                "--partitions",
                "2",
                "--verify-only");

        assertEquals(ExitCodes.OK, created.exitCode(), created.toString());
        assertTrue(created.out().contains("created  " + prefix + "images (2 partitions)"), created.toString());
        assertEquals(ExitCodes.OK, again.exitCode(), again.toString());
        assertTrue(again.out().contains("ok       " + prefix + "features (2 partitions)"), again.toString());
        assertEquals(ExitCodes.OK, verified.exitCode(), verified.toString());
        assertTrue(verified.out().contains("9 of 9 topics"), verified.toString());
    }

    @Test
    void shouldReportPartitionMismatchWithStateExitCode(@BootstrapServers final String bootstrap) {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        CliResult.run("topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--partitions", "1");

        final CliResult result = CliResult.run(
                "topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--partitions", "3");

        assertEquals(ExitCodes.STATE, result.exitCode(), result.toString());
        assertTrue(result.err().contains(prefix + "images") && result.err().contains("partitions"), result.toString());
    }

    @Test
    void shouldReportAnImagesTopicTooSmallForAnImageAndRaiseItsLimit(@BootstrapServers final String bootstrap)
            throws Exception {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        // made before npid sized its topics: the broker's 1 MiB default
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(prefix + "images", 2, (short) 1)))
                    .all()
                    .get();
            // the creation is committed before every broker can describe it
            new TopicAdmin(admin, TopicAdmin.DEFAULT_TIMEOUT)
                    .awaitVisible(List.of(Topics.withPrefix(prefix).images()));
        }

        final CliResult before = CliResult.run(
                "topics",
                "--bootstrap-servers",
                bootstrap,
                "--topic-prefix",
                prefix,
                "--partitions",
                "2",
                "--verify-only");
        final CliResult fixed = CliResult.run(
                "topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--partitions", "2");
        final CliResult after = CliResult.run(
                "topics",
                "--bootstrap-servers",
                bootstrap,
                "--topic-prefix",
                prefix,
                "--partitions",
                "2",
                "--verify-only");

        assertEquals(ExitCodes.STATE, before.exitCode(), before.toString());
        assertTrue(
                before.out()
                        .contains("differs  topic " + prefix + "images: max.message.bytes is '1048588', "
                                + "expected at least '8454144'"),
                before.toString());
        assertEquals(ExitCodes.OK, fixed.exitCode(), fixed.toString());
        assertTrue(
                fixed.out().contains("raised   " + prefix + "images max.message.bytes from 1048588 to 8454144"),
                fixed.toString());
        assertEquals(ExitCodes.OK, after.exitCode(), after.toString());
        assertTrue(after.out().contains("9 of 9 topics"), after.toString());
    }

    @Test
    void shouldSayKafkaIsUnreachableWithinTimeout() {
        final CliResult result = CliResult.run(
                "topics",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--timeout",
                "2",
                "--kafka",
                "request.timeout.ms=1000",
                "--kafka",
                "default.api.timeout.ms=2000");

        assertEquals(ExitCodes.UNAVAILABLE, result.exitCode(), result.toString());
        assertTrue(
                result.err().startsWith("npid: cannot reach Kafka at 127.0.0.1:1 (connection refused)"),
                result.toString());
    }
}
