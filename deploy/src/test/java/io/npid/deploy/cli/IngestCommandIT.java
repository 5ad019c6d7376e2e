package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.client.IdxFiles;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ImageEncoding;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.kafka.EmbeddedKafkaExtension;
import io.npid.schemas.kafka.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class IngestCommandIT {

    @TempDir
    Path dir;

    @Test
    void shouldSendUnlabelledImagesAndTheirLabelsSeparately(@BootstrapServers final String bootstrap)
        throws IOException {
        final LabelledImages data = Datasets.synthetic(40, 11);
        IdxFiles.write(dir.resolve("shapes"), "train", data);
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        CliResult.run("topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--partitions", "2");

        final CliResult result = CliResult.run("ingest", dir.resolve("shapes").toString(), "--labels", "--limit",
            "25", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith("ingested 25 images and 25 labels"), result.toString());
        final Topics topics = Topics.withPrefix(prefix);
        final List<ImageEvent> images = readAll(bootstrap, topics.images().name(),
            topics.images().valueSerde().deserializer(), 25);
        final List<LabelEvent> labels = readAll(bootstrap, topics.labels().name(),
            topics.labels().valueSerde().deserializer(), 25);
        assertEquals(25, images.size());
        assertEquals(25, labels.size());
        final Map<String, Integer> labelById = new HashMap<>();
        labels.forEach(l -> labelById.put(l.getId(), l.getLabel()));
        for (ImageEvent image : images) {
            assertNull(image.getLabel(), "images go unlabelled: " + image.getId());
            assertEquals(ImageEncoding.RAW, image.getImage().getEncoding());
            final int index = Integer.parseInt(image.getId().substring("shapes-train-".length()));
            assertEquals(data.labels()[index], labelById.get(image.getId()), image.getId());
        }
    }

    @Test
    void shouldNameTheMissingDataSetFolder(@BootstrapServers final String bootstrap) {
        final CliResult result = CliResult.run("ingest", dir.resolve("nothing-here").toString(),
            "--bootstrap-servers", bootstrap);

        assertEquals(ExitCodes.INPUT, result.exitCode(), result.toString());
        assertTrue(result.err().contains("nothing-here"), result.toString());
    }

    private static <V> List<V> readAll(final String bootstrap, final String topic, final Deserializer<V> values,
        final int expected) {
        final Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(settings,
            new org.apache.kafka.common.serialization.StringDeserializer(), values)) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final List<V> out = new java.util.ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                    out.add(r.value());
                }
            }
            return out;
        }
    }
}
