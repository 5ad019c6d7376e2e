package io.npid.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.event.FeatureEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldApplyThePrefixToEveryTopic() {
        final List<String> names =
                Topics.withPrefix("dev.").all().stream().map(TopicSpec::name).toList();
        assertEquals(
                List.of(
                        "dev.images",
                        "dev.labels",
                        "dev.features",
                        "dev.checkpoints",
                        "dev.queries",
                        "dev.query-vectors",
                        "dev.results",
                        "dev.dead-letters",
                        "dev.schemas"),
                names);
        assertEquals("npid.images", Topics.defaults().images().name());
    }

    @Test
    void shouldCompactFeaturesAndCheckpointsAndRaiseTheCheckpointLimit() {
        final Topics topics = Topics.defaults();
        assertEquals("compact", topics.features().config().get(TopicConfig.CLEANUP_POLICY_CONFIG));
        assertEquals(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "67108864"),
                topics.checkpoints().config());
        assertEquals(
                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "8454144"),
                topics.images().config());
        assertEquals(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"),
                topics.schemas().config());
        assertEquals(1, topics.schemas().partitions());
    }

    @Test
    void shouldSizeImageAndQueryRecordsFromTheOneImageLimit() {
        final Topics defaults = Topics.defaults();
        assertEquals(8 * 1024 * 1024, defaults.imageMaxBytes());
        assertEquals(8 * 1024 * 1024 + 64 * 1024, defaults.imageMaxMessageBytes());
        assertEquals(defaults.images().config(), defaults.queries().config());

        final Topics raised = Topics.fromConfig(Map.of(Topics.IMAGE_MAX_BYTES_CONFIG, "16777216"));
        assertEquals("16842752", raised.images().config().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
        assertEquals("16842752", raised.queries().config().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
        assertEquals(Map.of(), raised.labels().config());
        assertEquals(16777216, raised.withPartitions(3).imageMaxBytes());
        assertEquals(3, raised.withPartitions(3).withImageMaxBytes(100).images().partitions());

        final ConfigException bad = assertThrows(
                ConfigException.class, () -> Topics.fromConfig(Map.of(Topics.IMAGE_MAX_BYTES_CONFIG, "0")));
        assertEquals(
                "Invalid value 0 for configuration npid.image.max.bytes: must be between 1 and 1073741824",
                bad.getMessage());
        assertThrows(ConfigException.class, () -> Topics.fromConfig(Map.of(Topics.IMAGE_MAX_BYTES_CONFIG, "8M")));
    }

    @Test
    void shouldCoPartitionDataTopicsAndKeepCheckpointsOnOnePartition() {
        final Topics topics = Topics.defaults().withPartitions(6);
        assertEquals(6, topics.features().partitions());
        assertEquals(6, topics.labels().partitions());
        assertEquals(6, topics.queryVectors().partitions());
        assertEquals(1, topics.checkpoints().partitions());
        assertEquals(1, topics.deadLetters().partitions());
    }

    @Test
    void shouldRoundTripThroughTheTopicSerdes() {
        final TopicSpec<String, FeatureEvent> features = Topics.defaults().features();
        final FeatureEvent event = TestEvents.feature("img-1", 1);
        final byte[] bytes = features.valueSerde().serializer().serialize(features.name(), event);
        assertEquals(event, features.valueSerde().deserializer().deserialize(features.name(), bytes));
        assertEquals(
                "img-1",
                features.keySerde()
                        .deserializer()
                        .deserialize(
                                features.name(),
                                features.keySerde().serializer().serialize(features.name(), "img-1")));
    }

    @Test
    void shouldBuildFromConfigAndNameTheBadSetting() {
        final Topics topics = Topics.fromConfig(Map.of(
                Topics.TOPIC_PREFIX_CONFIG, "x-", Topics.TOPIC_PARTITIONS_CONFIG, "3", "unrelated.key", "ignored"));
        assertEquals("x-results", topics.results().name());
        assertEquals(3, topics.results().partitions());

        final ConfigException badPrefix = assertThrows(
                ConfigException.class, () -> Topics.fromConfig(Map.of(Topics.TOPIC_PREFIX_CONFIG, "my topics/")));
        assertTrue(
                badPrefix
                        .getMessage()
                        .startsWith("Invalid value my topics/ for configuration npid.topic.prefix: character ' '"),
                badPrefix.getMessage());
        final ConfigException badCount = assertThrows(
                ConfigException.class, () -> Topics.fromConfig(Map.of(Topics.TOPIC_PARTITIONS_CONFIG, "0")));
        assertEquals(
                "Invalid value 0 for configuration npid.topic.partitions: must be between 1 and 1000",
                badCount.getMessage());
        assertThrows(ConfigException.class, () -> Topics.fromConfig(Map.of(Topics.TOPIC_PARTITIONS_CONFIG, "four")));
    }

    @Test
    void shouldDescribeTheNewTopicRequest() {
        final NewTopic request = Topics.defaults().checkpoints().newTopic();
        assertEquals("npid.checkpoints", request.name());
        assertEquals(1, request.numPartitions());
        assertEquals(Topics.defaults().checkpoints().config(), request.configs());
        assertTrue(Topics.defaults().byName("npid.results").isPresent());
        assertTrue(Topics.defaults().byName("npid.nothing").isEmpty());
    }
}
