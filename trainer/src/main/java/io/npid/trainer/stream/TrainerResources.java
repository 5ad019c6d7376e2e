package io.npid.trainer.stream;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.ClientDefaults;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.store.FeatureStore;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.train.NpidLearner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens what the streaming trainer runs on: topics, the feature store, the learner and the Kafka clients.
 *
 * <p>The restart rule lives here. The live store ({@code dataDir/store}) is the truth for ingest: its images, rows,
 * labels, bank rows and consumed offsets are used as they are, so consumption resumes exactly behind the last
 * committed ingest. The learner (parameters, optimiser state, Z, step, random state) resumes from the checkpoint
 * {@code LATEST} names and is given the live store's bank rows, which are at least as new as the checkpoint. Only
 * when the live store is missing (lost disk, deleted directory) is it restored from that checkpoint's snapshot, whose
 * offsets match its rows, so ingest is still exactly-once from there.
 */
final class TrainerResources {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerResources.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private TrainerResources() {}

    /** Creates the data directory when it is missing. */
    static void createDataDir(final StreamingTrainerConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (final IOException e) {
            throw new UncheckedIOException(
                    "Cannot create " + StreamingTrainerConfig.DATA_DIR_CONFIG + " " + config.dataDir(), e);
        }
    }

    /** Creates missing topics and verifies the rest, when the config allows it. */
    static void ensureTopics(final StreamingTrainerConfig config) {
        if (!config.createTopics()) {
            return;
        }
        final Topics topics = config.topics();
        final List<TopicSpec<?, ?>> specs = List.of(
                topics.images(), topics.labels(), topics.features(), topics.checkpoints(), topics.deadLetters());
        try (Admin admin = Admin.create(config.clients().admin(Map.of()))) {
            new TopicAdmin(admin, ADMIN_TIMEOUT).ensure(specs);
        }
    }

    /** Opens the live store, restoring it from the latest checkpoint's snapshot when it is missing. */
    static FeatureStore openStore(
            final StreamingTrainerConfig config, final Optional<CheckpointDirectory.Checkpoint> latest) {
        final Path live = config.storeDir();
        if (isEmptyDirectory(live) && latest.isPresent()) {
            LOG.warn(
                    "The live feature store {} is missing; restoring it from checkpoint version {} (step {})",
                    live,
                    latest.get().meta().version(),
                    latest.get().meta().step());
            copyTree(latest.get().storeDir(), live);
        }
        final FeatureStore store = FeatureStore.open(live, config.storeOptions());
        latest.ifPresent(checkpoint -> {
            if (store.size() < checkpoint.meta().rows()) {
                LOG.warn(
                        "The live store {} has {} rows, fewer than the {} of checkpoint version {}: it is older "
                                + "than the checkpoint; ingest resumes from its own offsets",
                        live,
                        store.size(),
                        checkpoint.meta().rows(),
                        checkpoint.meta().version());
            }
        });
        return store;
    }

    /** Loads the learner from the latest checkpoint, or creates a fresh one, and gives it the store's bank. */
    static NpidLearner openLearner(
            final LearnerSettings settings,
            final Optional<CheckpointDirectory.Checkpoint> latest,
            final FeatureStore store) {
        final NpidLearner learner;
        if (latest.isPresent()) {
            try {
                learner = NpidLearner.load(latest.get().learnerDir(), settings.trainer());
            } catch (final IOException e) {
                throw new UncheckedIOException(
                        "Cannot load the learner of checkpoint " + latest.get().dir() + ": " + e.getMessage(), e);
            }
            if (learner.inputChannels() != settings.channels() || learner.imageSize() != settings.imageSize()) {
                final String saved = learner.inputChannels() + " channels, size " + learner.imageSize();
                learner.close();
                throw new IllegalStateException("Checkpoint " + latest.get().dir() + " was trained on " + saved
                        + " but " + StreamingTrainerConfig.IMAGE_CHANNELS_CONFIG + "=" + settings.channels() + " and "
                        + StreamingTrainerConfig.IMAGE_SIZE_CONFIG + "=" + settings.imageSize()
                        + "; use the same settings or another " + StreamingTrainerConfig.DATA_DIR_CONFIG);
            }
        } else {
            learner = NpidLearner.create(settings.trainer(), settings.channels(), settings.imageSize());
        }
        try {
            if (store.size() > 0) {
                learner.resetBank(store.loadBank());
            }
        } catch (final RuntimeException e) {
            learner.close();
            throw e;
        }
        return learner;
    }

    /**
     * Creates an ingest thread's consumer: raw bytes (decoded inside a try), no group offsets, read-committed.
     *
     * @param config the trainer's configuration
     * @param thread the ingest thread's number (client ids must differ within a process)
     * @return the consumer, unassigned
     */
    static KafkaConsumer<byte[], byte[]> consumer(final StreamingTrainerConfig config, final int thread) {
        final Map<String, Object> defaults = ClientDefaults.layered(
                ClientDefaults.lowLatencyConsumer(),
                Map.of(
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        512,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        thread == 0 ? "npid-trainer" : "npid-trainer-" + thread));
        // The offsets of record live in the feature store, written with the images: Kafka's must never be used.
        final Map<String, Object> owned = Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config.clients().consumer(defaults, owned));
    }

    /** Creates a producer for features and dead letters, or (large) for checkpoints. */
    static KafkaProducer<byte[], byte[]> producer(final StreamingTrainerConfig config, final boolean checkpoints) {
        final Map<String, Object> defaults = ClientDefaults.layered(
                checkpoints ? ClientDefaults.checkpointProducer() : ClientDefaults.lowLatencyProducer(),
                KafkaClientSettings.ORDERED_PRODUCER,
                Map.of(ProducerConfig.CLIENT_ID_CONFIG, checkpoints ? "npid-trainer-checkpoints" : "npid-trainer"));
        final Map<String, Object> owned = Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config.clients().producer(defaults, owned));
    }

    /** Lists every partition of the given topics, failing with a clear message for a missing topic. */
    static List<TopicPartition> partitions(final KafkaConsumer<?, ?> consumer, final String... topics) {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : topics) {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, ADMIN_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Topic " + topic + " does not exist; create it (npid topics) or set "
                        + StreamingTrainerConfig.CREATE_TOPICS_CONFIG + "=true");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        return partitions;
    }

    private static boolean isEmptyDirectory(final Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    private static void copyTree(final Path from, final Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (final Path source : (Iterable<Path>) paths::iterator) {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot restore the feature store from " + from + " to " + to, e);
        }
    }
}
