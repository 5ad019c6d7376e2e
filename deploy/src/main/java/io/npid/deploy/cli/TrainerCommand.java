package io.npid.deploy.cli;

import io.npid.deploy.metrics.MetricsOptions;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.deploy.metrics.TrainerMeters;
import io.npid.deploy.process.KafkaClientConfig;
import io.npid.deploy.process.SettingException;
import io.npid.deploy.process.TrainerListeners;
import io.npid.schemas.kafka.SchemaTopic;
import io.npid.trainer.stream.StreamingTrainer;
import io.npid.trainer.stream.StreamingTrainerConfig;
import io.npid.trainer.stream.TrainerListener;
import io.npid.trainer.stream.TrainerStatus;
import io.npid.trainer.train.EngineSetup;
import io.npid.trainer.train.TrainerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code npid trainer}: the streaming trainer process on a Kafka cluster; runs until stopped (or until trained,
 * with {@code --exit-after-training}).
 */
@Command(
        name = "trainer",
        mixinStandardHelpOptions = true,
        footer = "%nEvery setting with its default and valid values: npid settings trainer",
        description = "Run the trainer: ingest images and labels, train the encoder, publish features and checkpoints.")
public final class TrainerCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    ProcessSettings process;

    @Option(
            names = "--state-dir",
            required = true,
            paramLabel = "DIR",
            description = "The trainer's feature store and checkpoints (npid.trainer.data.dir); keep it on a volume.")
    Path stateDir;

    @Option(
            names = "--epochs",
            paramLabel = "E",
            description = "Epochs to train, then keep ingesting and publishing; 0 trains forever (default 0).")
    Integer epochs;

    @Option(
            names = "--backbone",
            paramLabel = "small-flat|small-flat-wide|small|resnet18",
            description = "Encoder backbone (default small-flat).")
    String backbone;

    @Option(names = "--objective", paramLabel = "softmax|nce", description = "Training objective (default softmax).")
    String objective;

    @Option(
            names = "--device",
            paramLabel = "auto|cpu|gpu",
            description = "Where to train, npid.device: auto (a GPU when PyTorch sees one, else the CPU), cpu or gpu "
                    + "(default auto).")
    String device;

    @Option(names = "--batch-size", paramLabel = "B", description = "Images per step (default 128).")
    Integer batchSize;

    @Option(names = "--exit-after-training", description = "Stop once the given epochs are trained.")
    boolean exitAfterTraining;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final KafkaClientConfig client = kafka.toConfig();
        final Map<String, Object> own = new LinkedHashMap<>(process.settings("trainer"));
        own.put(StreamingTrainerConfig.DATA_DIR_CONFIG, stateDir.toString());
        putIfGiven(own, StreamingTrainerConfig.EPOCHS_CONFIG, epochs);
        putIfGiven(own, TrainerConfig.BACKBONE_CONFIG, backbone);
        putIfGiven(own, TrainerConfig.OBJECTIVE_CONFIG, objective);
        putIfGiven(own, TrainerConfig.DEVICE_CONFIG, device);
        putIfGiven(own, TrainerConfig.BATCH_SIZE_CONFIG, batchSize);
        if (exitAfterTraining && (epochs == null || epochs < 1)) {
            throw new SettingException("--exit-after-training", "set", "needs --epochs of at least 1");
        }
        final StreamingTrainerConfig config = new StreamingTrainerConfig(client.processConfig(own));
        final PrintWriter err = spec.commandLine().getErr();
        err.println("trainer: " + config);
        kafka.probe(client); // the trainer checks (or creates) its topics itself, naming each difference
        // registers this build's schemas and lets the trainer read newer writers' records (rolling upgrades)
        try (NpidMetrics meters = NpidMetrics.start("trainer", metrics.toSettings());
                SchemaTopic schemas = SchemaTopic.open(config.topics(), client.processConfig(own))) {
            final TrainerListener listener = new TrainerListeners(
                    new TrainerMeters(
                            meters.registry(), config.learner().trainer().batchSize()),
                    new ProgressLines(err));
            final StreamingTrainer trainer = StreamingTrainer.start(config, listener);
            // npid.device=auto in the line above is resolved now that the engine is up: say what it became
            err.println("trainer: started, the model runs on "
                    + EngineSetup.device(config.learner().trainer().device()).getDeviceType() + " (npid.device="
                    + config.learner().trainer().device() + ")");
            meters.health(trainer::isRunning);
            meters.endpoint()
                    .ifPresent(a -> err.println(
                            "trainer: metrics at http://" + a.getHostString() + ":" + a.getPort() + "/metrics"));
            final CompletableFuture<?> done = exitAfterTraining
                    ? CompletableFuture.anyOf(trainer.trainingComplete(), trainer.stopped())
                    : trainer.stopped();
            return ServiceRunner.run("trainer", trainer, done, err);
        }
    }

    private static void putIfGiven(final Map<String, Object> settings, final String key, final Object value) {
        if (value != null) {
            settings.put(key, value);
        }
    }

    /** Prints the trainer's periodic status as one line on stderr. */
    private record ProgressLines(PrintWriter err) implements TrainerListener {
        @Override
        public void onProgress(final TrainerStatus status) {
            err.println("trainer: " + status.toLogLine());
            err.flush();
        }

        @Override
        public void onTrainingComplete(final TrainerStatus status) {
            err.println("trainer: training complete, " + status.toLogLine());
            err.flush();
        }
    }
}
