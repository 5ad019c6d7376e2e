package io.npid.bench.trainer;

import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.broker.EmbeddedKafkaBroker;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.trainer.checkpoint.ModelCheckpointPublisher;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.embed.EmbedderConfig;
import io.npid.trainer.embed.EmbedderListener;
import io.npid.trainer.embed.EmbedderService;
import io.npid.trainer.embed.Encoder;
import io.npid.trainer.train.EngineSetup;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Measures the query embedder: the encoder alone (latency of one image, throughput of a batch) and the whole
 * service through Kafka (queries/s for a burst, latency per query at a paced rate, from the client's send to the
 * QueryVector's arrival). Prints the figures and writes them as JSON; {@code npid bench embed} wraps it.
 *
 * <p>Without a bootstrap server it starts an embedded broker, which needs the Kafka server jars on the class path
 * (the deploy module and the tests have them).
 */
public final class EmbedderBenchmark {
    /**
     * What to measure.
     *
     * @param bootstrapServers a broker to use, or null to start an embedded one
     * @param backbone small or resnet18
     * @param channels input channels of the model (1 or 3)
     * @param size input side of the model
     * @param threads PyTorch intra-op threads, 0 for every core
     * @param maxBatch the embedder's largest forward batch
     * @param burstQueries queries sent at once for the throughput figure
     * @param pacedQueries queries sent at {@code rate} for the latency figures
     * @param rate queries per second of the paced phase
     * @param encoderRounds timed encoder calls: this many batches and five times as many single images
     */
    public record Options(
            String bootstrapServers,
            String backbone,
            int channels,
            int size,
            int threads,
            int maxBatch,
            int burstQueries,
            int pacedQueries,
            double rate,
            int encoderRounds) {
        /**
         * Returns the defaults: embedded broker, small-flat, 1x28x28, all cores, batch 64, 2000 burst, 500 paced at
         * 50/s, 10 encoder rounds.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(null, "small-flat", 1, 28, 0, 64, 2000, 500, 50, 10);
        }
    }

    /**
     * The figures.
     *
     * @param options what was measured
     * @param encoderSingleImageMs median time to embed one image alone
     * @param encoderBatchImagesPerSecond images/s embedding batches of {@code maxBatch}
     * @param burstQueriesPerSecond queries/s through Kafka, first send to last vector
     * @param latencyP50Ms median send-to-vector latency at the paced rate
     * @param latencyP95Ms 95th percentile
     * @param latencyP99Ms 99th percentile
     * @param latencyMaxMs worst
     * @param pacedRateAchieved queries/s actually sent in the paced phase
     * @param embedMsPerQuery encoder time per query inside the service (both phases)
     */
    public record Result(
            Options options,
            double encoderSingleImageMs,
            double encoderBatchImagesPerSecond,
            double burstQueriesPerSecond,
            double latencyP50Ms,
            double latencyP95Ms,
            double latencyP99Ms,
            double latencyMaxMs,
            double pacedRateAchieved,
            double embedMsPerQuery) {}

    private EmbedderBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param options what to measure
     * @return the figures
     * @throws Exception when the broker, the model or the service fails
     */
    public static Result run(final Options options) throws Exception {
        EngineSetup.configureThreads(options.threads());
        final EmbeddedKafkaBroker broker = options.bootstrapServers() == null ? EmbeddedKafkaBroker.start(null) : null;
        try (NpidLearner learner = NpidLearner.create(
                new TrainerConfig(
                        Map.of(TrainerConfig.BACKBONE_CONFIG, options.backbone(), TrainerConfig.DEVICE_CONFIG, "cpu")),
                options.channels(),
                options.size())) {
            final String bootstrap = broker != null ? broker.bootstrapServers() : options.bootstrapServers();
            final List<DecodedImage> images = Datasets.synthetic(256, 5).images();
            final double[] encoder = measureEncoder(learner, images, options.maxBatch(), options.encoderRounds());
            final Map<String, Object> settings = new HashMap<>();
            settings.put("bootstrap.servers", bootstrap);
            final String prefix = "bench" + System.currentTimeMillis() + ".";
            settings.put(Topics.TOPIC_PREFIX_CONFIG, prefix);
            settings.put(EmbedderConfig.GROUP_ID_CONFIG, prefix + "embedder");
            settings.put(EmbedderConfig.MAX_BATCH_SIZE_CONFIG, options.maxBatch());
            final EmbedderConfig config = new EmbedderConfig(settings);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                TopicAdmin.ensureTopics(admin, config.topics());
            }
            publishModel(bootstrap, config, learner);
            final long[] embedNanos = {0};
            try (EmbedderService service = EmbedderService.start(config, new EmbedderListener() {
                        @Override
                        public void onAnswered(final int vectors, final int errors, final long nanos) {
                            synchronized (embedNanos) {
                                embedNanos[0] += nanos;
                            }
                        }
                    });
                    QueryLoad load = new QueryLoad(bootstrap, config.topics(), images)) {
                final long deadline = System.currentTimeMillis() + 60_000;
                while (service.status().modelVersion() < 1) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("The embedder did not load the model within 60 s");
                    }
                    Thread.sleep(20);
                }
                load.burst(Math.min(100, options.burstQueries()));
                Thread.sleep(200);
                synchronized (embedNanos) {
                    embedNanos[0] = 0;
                }
                final double burst = load.burst(options.burstQueries());
                final QueryLoad.Paced paced = load.paced(options.pacedQueries(), options.rate());
                final double perQuery;
                synchronized (embedNanos) {
                    perQuery = embedNanos[0] / 1e6 / Math.max(1, options.burstQueries() + options.pacedQueries());
                }
                return new Result(
                        options,
                        encoder[0],
                        encoder[1],
                        burst,
                        paced.percentile(50),
                        paced.percentile(95),
                        paced.percentile(99),
                        paced.percentile(100),
                        paced.rate(),
                        perQuery);
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** Returns {median ms for one image, images/s for batches of maxBatch}, after a warm-up. */
    private static double[] measureEncoder(
            final NpidLearner learner, final List<DecodedImage> images, final int maxBatch, final int rounds)
            throws IOException {
        try (Encoder encoder =
                Encoder.load(learner.config().backbone(), learner.encoderConfig(), learner.encoderParameters())) {
            final List<DecodedImage> batch = new ArrayList<>();
            for (int i = 0; i < maxBatch; i++) {
                batch.add(images.get(i % images.size()));
            }
            for (int i = 0; i < 3; i++) {
                encoder.embed(batch);
            }
            final double[] single = new double[5 * rounds];
            for (int i = 0; i < single.length; i++) {
                final long start = System.nanoTime();
                encoder.embed(List.of(images.get(i % images.size())));
                single[i] = (System.nanoTime() - start) / 1e6;
            }
            java.util.Arrays.sort(single);
            final long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                encoder.embed(batch);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            return new double[] {single[single.length / 2], rounds * maxBatch / seconds};
        }
    }

    private static void publishModel(final String bootstrap, final EmbedderConfig config, final NpidLearner learner) {
        final Map<String, Object> producerSettings =
                new HashMap<>(io.npid.schemas.kafka.ClientDefaults.checkpointProducer());
        producerSettings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer())) {
            new ModelCheckpointPublisher(
                            producer,
                            config.topics().checkpoints(),
                            config.modelName(),
                            System::currentTimeMillis,
                            Duration.ofSeconds(60))
                    .publish(1, learner.config().backbone(), 0, learner.encoderConfig(), learner.encoderParameters());
        }
    }

    /**
     * Runs the benchmark from the command line.
     *
     * @param args --bootstrap-servers, --backbone, --channels, --size, --threads, --batch, --burst, --paced,
     *     --rate, --encoder-rounds, --json FILE
     * @throws Exception on a bad argument or a failed run
     */
    public static void main(final String[] args) throws Exception {
        final Options d = Options.defaults();
        final Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--bootstrap-servers", null);
        defaults.put("--backbone", d.backbone());
        defaults.put("--channels", Integer.toString(d.channels()));
        defaults.put("--size", Integer.toString(d.size()));
        defaults.put("--threads", Integer.toString(d.threads()));
        defaults.put("--batch", Integer.toString(d.maxBatch()));
        defaults.put("--burst", Integer.toString(d.burstQueries()));
        defaults.put("--paced", Integer.toString(d.pacedQueries()));
        defaults.put("--rate", Double.toString(d.rate()));
        defaults.put("--encoder-rounds", Integer.toString(d.encoderRounds()));
        final BenchArgs a = BenchArgs.parse(args, defaults);
        final Options options = new Options(
                a.get("--bootstrap-servers"),
                a.get("--backbone"),
                a.getInt("--channels"),
                a.getInt("--size"),
                a.getInt("--threads"),
                a.getInt("--batch"),
                a.getInt("--burst"),
                a.getInt("--paced"),
                a.getDouble("--rate"),
                a.getInt("--encoder-rounds"));
        final Path json = a.json();
        final Result r = run(options);
        System.out.printf(
                "embedder %s %dx%dx%d: encoder %.2f ms/image alone, %.0f images/s in batches of %d; "
                        + "service %.0f queries/s (burst of %d); latency at %.0f q/s p50 %.1f ms p95 %.1f ms p99 %.1f "
                        + "ms max %.1f ms; %.2f ms encoder time per query%n",
                options.backbone(),
                options.channels(),
                options.size(),
                options.size(),
                r.encoderSingleImageMs(),
                r.encoderBatchImagesPerSecond(),
                options.maxBatch(),
                r.burstQueriesPerSecond(),
                options.burstQueries(),
                r.pacedRateAchieved(),
                r.latencyP50Ms(),
                r.latencyP95Ms(),
                r.latencyP99Ms(),
                r.latencyMaxMs(),
                r.embedMsPerQuery());
        if (json != null) {
            write(r, json);
        }
    }

    /**
     * Writes the figures as JSON.
     *
     * @param result the figures
     * @param file the output file
     * @throws IOException on write failure
     */
    public static void write(final Result result, final Path file) throws IOException {
        BenchJson.write(result, file);
    }
}
