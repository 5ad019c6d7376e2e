package io.npid.trainer.stream;

import static io.npid.trainer.stream.StreamFixtures.imageEvent;
import static io.npid.trainer.stream.StreamFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.checkpoint.CheckpointMeta;
import io.npid.trainer.checkpoint.RefreshProgress;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a trainer (SIGKILL) in the middle of a spread bank refresh and restarts it: the checkpoint it was killed
 * after records the refresh's next row, and the restarted trainer goes on from that row in the same epoch's refresh
 * (BankRefreshResumeTest checks the rows it then writes against a full refresh by the restored model).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerRefreshRestartIT {
    private static final int ROWS = 640;
    private static final LabelledImages DATA = Datasets.synthetic(ROWS, 3);
    private static final Duration WAIT = Duration.ofSeconds(120);
    /**
     * Every refresh spread (pause up to 0 rows) over one epoch: 640 rows in batches of 16 are 40 steps, so slices
     * of 32 rows (the floor), 20 slices; a checkpoint every 3 steps lands inside most refreshes.
     */
    private static final List<String> SETTINGS =
            List.of("npid.bank.refresh.pause.rows=0", "npid.bank.refresh.spread.epochs=1");

    @TempDir
    Path dataDir;

    private Optional<CheckpointMeta> latest() {
        try {
            return new CheckpointDirectory(dataDir.resolve("checkpoints"), 2)
                    .latest()
                    .map(CheckpointDirectory.Checkpoint::meta);
        } catch (final UncheckedIOException e) {
            // the child pruned the version between reading LATEST and its metadata: read again
            return Optional.empty();
        }
    }

    private CheckpointMeta awaitCheckpoint(final String what, final Predicate<CheckpointMeta> condition)
            throws InterruptedException {
        final long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            final Optional<CheckpointMeta> meta = latest();
            if (meta.isPresent() && condition.test(meta.get())) {
                return meta.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("No checkpoint with " + what + " within " + WAIT + ": latest " + latest());
    }

    @Test
    void shouldResumeAnInterruptedSpreadRefreshAtTheSavedRow(@BootstrapServers final String bootstrap)
            throws Exception {
        final String prefix = EmbeddedKafkaExtension.uniquePrefix();
        final Topics topics = Topics.withPrefix(prefix).withPartitions(2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicAdmin.ensureTopics(admin, topics);
        }
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            records.add(new ProducerRecord<>(
                    topics.images().name(),
                    key("img-" + i),
                    imageEvent("img-" + i, DATA.images().get(i), DATA.labels()[i])));
        }
        try (KafkaProducer<byte[], byte[]> producer = StreamFixtures.producer(bootstrap)) {
            StreamFixtures.sendAll(producer, records);
        }
        TrainerChild child = new TrainerChild(bootstrap, prefix, dataDir, SETTINGS);
        child.awaitStarted();
        // a refresh of every row, at most half done: at least 10 slices are left after the kill
        awaitCheckpoint(
                "a refresh of every row under way",
                m -> m.refresh() != null
                        && m.refresh().rows() == ROWS
                        && m.refresh().nextRow() <= ROWS / 2);
        child.kill();
        final CheckpointMeta killed = latest().orElseThrow();
        final RefreshProgress saved = killed.refresh();
        assertNotNull(saved, "the checkpoint current at the kill is inside the refresh: " + killed);
        assertEquals(ROWS, killed.rows());

        child = new TrainerChild(bootstrap, prefix, dataDir, SETTINGS);
        child.awaitStarted();
        final CheckpointMeta next = awaitCheckpoint("a step after the restart", m -> m.version() > killed.version());
        child.kill();
        final RefreshProgress resumed = next.refresh();
        assertNotNull(resumed, "still refreshing 3 steps after the restart: " + next);
        assertEquals(saved.epoch(), resumed.epoch(), "the same epoch's refresh, not a new one");
        assertEquals(saved.rows(), resumed.rows());
        assertTrue(
                resumed.nextRow() > saved.nextRow(),
                "went on from row " + saved.nextRow() + " (not started over): now at " + resumed.nextRow());
        System.out.println("TrainerRefreshRestartIT: killed at checkpoint v" + killed.version() + " with the refresh"
                + " of epoch " + saved.epoch() + " at row " + saved.nextRow() + " of " + saved.rows()
                + "; the restarted trainer's first checkpoint has it at row " + resumed.nextRow());
    }
}
