package io.npid.deploy.local;

import io.micrometer.core.instrument.MeterRegistry;
import io.npid.broker.EmbeddedKafkaBroker;
import io.npid.deploy.metrics.EmbedderMeters;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.deploy.metrics.TrainerMeters;
import io.npid.deploy.process.IndexerProcess;
import io.npid.deploy.process.KafkaClientConfig;
import io.npid.deploy.process.TrainerListeners;
import io.npid.indexer.IndexerConfig;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.SchemaTopic;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.trainer.embed.EmbedderConfig;
import io.npid.trainer.embed.EmbedderService;
import io.npid.trainer.stream.StreamingTrainer;
import io.npid.trainer.stream.StreamingTrainerConfig;
import io.npid.trainer.stream.TrainerListener;
import io.npid.trainer.train.TrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Every npid process in one JVM: an embedded single-node KRaft broker on 127.0.0.1, the indexer, one embedder and
 * the trainer, wired through the real topics.
 *
 * <p>{@link #start} starts them in dependency order (broker, topics, indexer, embedder, trainer) and
 * {@link #close} stops them in reverse, so the trainer's last checkpoint and features still reach a running
 * broker.
 */
public final class LocalStack implements AutoCloseable {
    /** Minimum milliseconds between two publications of a bank row in a local run. */
    static final long PUBLISH_INTERVAL_MS = 1000;

    private final EmbeddedKafkaBroker broker;
    private final KafkaClientConfig client;
    private final Topics topics;
    private final List<AutoCloseable> started = new ArrayList<>();
    private MeterRegistry registry;
    private IndexerProcess indexer;
    private Map<String, Object> indexerSettings;
    private EmbedderService embedder;
    private StreamingTrainer trainer;
    private StreamingTrainerConfig trainerConfig;
    private Map<String, Object> trainerSettings;
    private TrainerListener trainerListener;

    private LocalStack(final EmbeddedKafkaBroker broker, final LocalConfig config) {
        this.broker = broker;
        this.client = KafkaClientConfig.of(broker.bootstrapServers(), Topics.DEFAULT_TOPIC_PREFIX);
        // the image limit of a --set npid.image.max.bytes sizes the topics as it sizes the trainer's checks
        final Map<String, Object> topicSettings = new HashMap<>(config.trainerSettings());
        topicSettings.put(Topics.TOPIC_PARTITIONS_CONFIG, config.partitions());
        this.topics = Topics.fromConfig(client.processConfig(topicSettings));
    }

    /**
     * Starts the stack.
     *
     * @param config the run's settings
     * @param data the run's images (their shape sets the model's input)
     * @param stateDir where the broker, trainer and indexer keep their state
     * @param metrics the registry the processes report to
     * @param recorder receives the trainer's steps and epochs
     * @return the running stack
     */
    public static LocalStack start(
            final LocalConfig config,
            final LocalDataSet data,
            final Path stateDir,
            final NpidMetrics metrics,
            final TrainingRecorder recorder) {
        return start(config, data, stateDir, metrics, recorder, Map.of());
    }

    /**
     * Starts the stack with some trainer settings changed, e.g. serve-only for a benchmark.
     *
     * @param config the run's settings
     * @param data the run's images
     * @param stateDir where the processes keep their state
     * @param metrics the registry the processes report to
     * @param recorder receives the trainer's steps and epochs
     * @param trainerOverrides trainer settings that replace the local run's
     * @return the running stack
     */
    public static LocalStack start(
            final LocalConfig config,
            final LocalDataSet data,
            final Path stateDir,
            final NpidMetrics metrics,
            final TrainingRecorder recorder,
            final Map<String, ?> trainerOverrides) {
        return start(config, data, stateDir, metrics, recorder, trainerOverrides, 0);
    }

    /**
     * Starts the stack with some trainer settings changed and the broker on a fixed port.
     *
     * @param config the run's settings
     * @param data the run's images
     * @param stateDir where the processes keep their state
     * @param metrics the registry the processes report to
     * @param recorder receives the trainer's steps and epochs
     * @param trainerOverrides trainer settings that replace the local run's
     * @param brokerPort the broker's port on 127.0.0.1, or 0 for a free one
     * @return the running stack
     */
    public static LocalStack start(
            final LocalConfig config,
            final LocalDataSet data,
            final Path stateDir,
            final NpidMetrics metrics,
            final TrainingRecorder recorder,
            final Map<String, ?> trainerOverrides,
            final int brokerPort) {
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .logDir(stateDir.resolve("kafka"))
                .port(brokerPort)
                .start();
        final LocalStack stack = new LocalStack(broker, config);
        stack.registry = metrics.registry();
        try {
            try (Admin admin = Admin.create(stack.client.with(Map.of()))) {
                final TopicAdmin topicAdmin = new TopicAdmin(admin, TopicAdmin.DEFAULT_TIMEOUT);
                // a --state-dir of an older run may hold images and queries topics at the broker's 1 MiB
                topicAdmin.raiseMessageLimits(stack.topics.all());
                topicAdmin.ensure(stack.topics.all());
            }
            stack.started.add(SchemaTopic.open(stack.topics, stack.client.with(Map.of())));
            stack.indexerSettings = indexerSettings(config, stateDir);
            stack.startIndexer(Map.of());
            stack.embedder = EmbedderService.start(
                    new EmbedderConfig(stack.settings(Map.of())), new EmbedderMeters(metrics.registry()));
            stack.started.add(stack.embedder);
            stack.trainerSettings = trainerSettings(config, data, stateDir);
            stack.trainerListener =
                    new TrainerListeners(recorder, new TrainerMeters(metrics.registry(), config.batchSize()));
            stack.startTrainer(trainerOverrides);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * The indexer's settings for a local run: its state directory, and the vote's k and T when {@code --set} gives
     * them ({@code npid.knn.*} are shared keys: the trainer's evaluation reads them too).
     */
    static Map<String, Object> indexerSettings(final LocalConfig config, final Path stateDir) {
        final Map<String, Object> s = new HashMap<>();
        s.put(IndexerConfig.STATE_DIR_CONFIG, stateDir.resolve("indexer").toString());
        for (final String key : List.of(IndexerConfig.K_CONFIG, IndexerConfig.TEMPERATURE_CONFIG)) {
            if (config.trainerSettings().containsKey(key)) {
                s.put(key, config.trainerSettings().get(key));
            }
        }
        return s;
    }

    /**
     * The trainer's settings for a local run: train the given epochs, checkpoint often enough that the embedder
     * follows the model a few times per epoch, size the model's input from the data (or --image-size and
     * --channels), and then whatever --set gives.
     */
    static Map<String, Object> trainerSettings(final LocalConfig config, final LocalDataSet data, final Path stateDir) {
        final int batch = config.batchSize();
        final long stepsPerEpoch = Math.max(1, (data.train().size() + batch - 1) / batch);
        final Map<String, Object> s = new HashMap<>();
        s.put(
                StreamingTrainerConfig.DATA_DIR_CONFIG,
                stateDir.resolve("trainer").toString());
        s.put(StreamingTrainerConfig.EPOCHS_CONFIG, config.epochs());
        s.put(StreamingTrainerConfig.CHECKPOINT_INTERVAL_STEPS_CONFIG, Math.max(10, stepsPerEpoch / 4));
        s.put(StreamingTrainerConfig.CHECKPOINT_INTERVAL_MS_CONFIG, 60_000L);
        s.put(StreamingTrainerConfig.PUBLISH_INTERVAL_MS_CONFIG, PUBLISH_INTERVAL_MS);
        s.put(StreamingTrainerConfig.PROGRESS_INTERVAL_MS_CONFIG, 2_000L);
        // a local run is restarted cleanly between ingest and training: nothing pending to republish
        s.put(StreamingTrainerConfig.REPUBLISH_ON_START_CONFIG, false);
        s.put(StreamingTrainerConfig.IMAGE_CHANNELS_CONFIG, data.input().channels());
        s.put(StreamingTrainerConfig.IMAGE_SIZE_CONFIG, data.input().size());
        s.put(TrainerConfig.BACKBONE_CONFIG, config.backbone());
        s.put(TrainerConfig.SEED_CONFIG, config.seed());
        s.put(TrainerConfig.BATCH_SIZE_CONFIG, batch);
        s.putAll(config.trainerSettings());
        return s;
    }

    /**
     * Stops the trainer (it takes a final checkpoint) and starts it again from that checkpoint with some settings
     * changed, e.g. to start training once every image is in the bank.
     *
     * @param overrides trainer settings that replace the current ones
     */
    public void restartTrainer(final Map<String, ?> overrides) {
        started.remove(trainer);
        trainer.close();
        startTrainer(overrides);
    }

    /**
     * Stops the indexer and starts it again with some settings changed (it restores its shards from its state
     * directory), e.g. to answer with a vote temperature chosen after training.
     *
     * @param overrides indexer settings that replace the current ones
     */
    public void restartIndexer(final Map<String, ?> overrides) {
        started.remove(indexer);
        indexer.close();
        startIndexer(overrides);
    }

    private void startIndexer(final Map<String, ?> overrides) {
        indexerSettings.putAll(overrides);
        indexer =
                IndexerProcess.start(IndexerConfig.from(settings(indexerSettings)), registry, Duration.ofSeconds(120));
        started.add(indexer);
    }

    private void startTrainer(final Map<String, ?> overrides) {
        trainerSettings.putAll(overrides);
        trainerConfig = new StreamingTrainerConfig(settings(trainerSettings));
        trainer = StreamingTrainer.start(trainerConfig, trainerListener);
        started.add(trainer);
    }

    /** A process's settings: the broker, the topics (prefix, partitions, image limit) and the process's own. */
    private Map<String, Object> settings(final Map<String, ?> own) {
        final Map<String, Object> s = new HashMap<>(own);
        s.put(Topics.TOPIC_PARTITIONS_CONFIG, topics.images().partitions());
        s.put(Topics.IMAGE_MAX_BYTES_CONFIG, topics.imageMaxBytes());
        return client.processConfig(s);
    }

    /** @return the embedded broker's address, 127.0.0.1:PORT */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** @return client settings for this broker */
    public KafkaClientConfig client() {
        return client;
    }

    /** @return where the processes' meters are */
    public MeterRegistry registry() {
        return registry;
    }

    /** @return the topics */
    public Topics topics() {
        return topics;
    }

    /** @return the trainer */
    public StreamingTrainer trainer() {
        return trainer;
    }

    /** @return the running trainer's effective settings, secrets hidden (for the summary and the report) */
    public Map<String, String> effectiveTrainerSettings() {
        return trainerConfig.effectiveSettings();
    }

    /** @return the running trainer's configuration */
    public StreamingTrainerConfig trainerConfig() {
        return trainerConfig;
    }

    /**
     * The indexer's current value of a setting.
     *
     * @param key an indexer setting
     * @return its value, or null when the indexer uses its default
     */
    Object indexerSetting(final String key) {
        return indexerSettings.get(key);
    }

    /** @return the trainer's batch size */
    public int batchSize() {
        return trainerConfig.learner().trainer().batchSize();
    }

    /** @return the embedder */
    public EmbedderService embedder() {
        return embedder;
    }

    /** @return the indexer */
    public IndexerProcess indexer() {
        return indexer;
    }

    /** @return whether every process is still running */
    public boolean healthy() {
        return trainer != null && trainer.isRunning() && embedder.status().running() && indexer.healthy();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(LocalStack.class)
                        .warn("Closing {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
        broker.close();
    }
}
