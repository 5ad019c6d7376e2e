package io.npid.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ModelCheckpoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** An indexer whose npid.low.dim differs from the trainer's latest checkpoint refuses to start, naming both. */
class TrainerAgreementTest {

    private static final TopicSpec<String, ModelCheckpoint> TOPIC =
            Topics.defaults().checkpoints();

    @Test
    void shouldRefuseAnotherDimensionNamingTheSettingAndBothValues() {
        final ConfigException e = assertThrows(
                ConfigException.class,
                () -> TrainerAgreement.check(List.of(checkpoint("npid", 7, "64", Map.of())), 128));
        assertTrue(e.getMessage().contains("npid.low.dim"), e.getMessage());
        assertTrue(e.getMessage().contains("128"), e.getMessage());
        assertTrue(e.getMessage().contains("model npid v7"), e.getMessage());
        assertTrue(e.getMessage().contains("--set npid.low.dim=64"), e.getMessage());
    }

    @Test
    void shouldPassTheSameDimensionAndNoCheckpointAtAll() {
        TrainerAgreement.check(List.of(checkpoint("npid", 7, "128", Map.of("npid.low.dim", "128"))), 128);
        TrainerAgreement.check(List.of(), 128);
    }

    @Test
    void shouldPreferThePublishedSettingsOverTheEncoderConfig() {
        final ModelCheckpoint both = checkpoint("npid", 2, "128", Map.of("npid.low.dim", "32"));
        assertThrows(ConfigException.class, () -> TrainerAgreement.check(List.of(both), 128));
    }

    @Test
    void shouldReadTheLatestVersionOfEachModelFromTheTopicsTail() {
        final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        final TopicPartition p0 = new TopicPartition(TOPIC.name(), 0);
        consumer.updatePartitions(
                TOPIC.name(), List.of(new PartitionInfo(TOPIC.name(), 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(p0, 0L));
        consumer.updateEndOffsets(Map.of(p0, 3L));
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(0, checkpoint("npid", 1, "64", Map.of())));
            consumer.addRecord(record(1, checkpoint("npid", 2, "128", Map.of())));
            consumer.addRecord(new ConsumerRecord<>(TOPIC.name(), 0, 2, new byte[0], new byte[] {1, 2, 3}));
        });

        final Collection<ModelCheckpoint> latest = TrainerAgreement.latest(consumer, TOPIC, Duration.ofSeconds(30));

        assertEquals(1, latest.size(), "one checkpoint per model; the undecodable record is skipped");
        assertEquals(2L, latest.iterator().next().getVersion());
    }

    @Test
    void shouldFindNothingWhenTheTopicIsMissing() {
        final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        assertEquals(List.of(), List.copyOf(TrainerAgreement.latest(consumer, TOPIC, Duration.ofSeconds(1))));
    }

    private static ConsumerRecord<byte[], byte[]> record(final long offset, final ModelCheckpoint checkpoint) {
        return new ConsumerRecord<>(
                TOPIC.name(),
                0,
                offset,
                new byte[0],
                TOPIC.valueSerde().serializer().serialize(TOPIC.name(), checkpoint));
    }

    private static ModelCheckpoint checkpoint(
            final String model, final long version, final String dim, final Map<String, String> settings) {
        return ModelCheckpoint.newBuilder()
                .setModelName(model)
                .setVersion(version)
                .setBackbone("small")
                .setStep(version * 10)
                .setConfig(Map.of("npid.low.dim", dim))
                .setParameters(ByteBuffer.wrap(new byte[] {1}))
                .setSettings(settings)
                .build();
    }
}
