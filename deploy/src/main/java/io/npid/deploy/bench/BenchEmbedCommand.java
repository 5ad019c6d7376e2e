package io.npid.deploy.bench;

import io.npid.bench.trainer.EmbedderBenchmark;
import io.npid.deploy.process.SettingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code npid bench embed}: the embedder service: encoder speed, query throughput and latency through Kafka. */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = "Embedder: encoder ms per image and images/s in batches, queries/s for a burst, and latency "
                + "percentiles at a paced rate, through a broker (an embedded one unless --bootstrap-servers).")
public final class BenchEmbedCommand implements Callable<Integer> {

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "A running broker (default: start an embedded one).")
    String bootstrapServers;

    @Option(names = "--backbone", defaultValue = "small-flat", description = "Encoder (default ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--channels", defaultValue = "1", description = "Image channels (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--size", defaultValue = "28", description = "Image side (default ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "Engine threads, 0 for all cores (default " + "${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch", defaultValue = "64", description = "Largest encoder batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--burst", defaultValue = "2000", description = "Queries sent at once (default ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--paced", defaultValue = "500", description = "Queries sent at --rate (default ${DEFAULT-VALUE}).")
    int paced;

    @Option(names = "--rate", defaultValue = "50", description = "Paced queries per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--encoder-rounds",
            defaultValue = "10",
            description = "Timed encoder rounds (default ${DEFAULT-VALUE}).")
    int encoderRounds;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (channels < 1
                || size < 1
                || threads < 0
                || batch < 1
                || burst < 1
                || paced < 1
                || !(rate > 0)
                || encoderRounds < 1) {
            throw new SettingException(
                    "--channels/--size/--batch/--burst/--paced/--rate/--encoder-rounds",
                    channels + "/" + size + "/" + batch + "/" + burst + "/" + paced + "/" + rate + "/" + encoderRounds,
                    "must all be at least 1 (--threads at least 0)");
        }
        final EmbedderBenchmark.Result result = EmbedderBenchmark.run(new EmbedderBenchmark.Options(
                bootstrapServers, backbone, channels, size, threads, batch, burst, paced, rate, encoderRounds));
        output.err().println(result);
        output.write(result);
        return 0;
    }
}
