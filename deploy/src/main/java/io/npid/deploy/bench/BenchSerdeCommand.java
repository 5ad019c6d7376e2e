package io.npid.deploy.bench;

import io.npid.bench.schemas.SerdeBenchmark;
import io.npid.deploy.process.SettingException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code npid bench serde}: encode/decode rates and sizes of the event serdes. */
@Command(
        name = "serde",
        mixinStandardHelpOptions = true,
        description = "Event serde rates (records/s, one thread) and encoded sizes: a 28x28 ImageEvent, a 128-d "
                + "FeatureEvent, and bytes against array<float> for vectors; each figure the median of the rounds.")
public final class BenchSerdeCommand implements Callable<Integer> {

    @Option(
            names = "--seconds",
            defaultValue = "1",
            paramLabel = "S",
            description = "Length of one round (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            paramLabel = "R",
            description = "Measured rounds per figure, after one warm-up round (default ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0) || rounds < 1) {
            throw new SettingException(
                    "--seconds/--rounds", seconds + "/" + rounds, "need a positive length and at least 1 round");
        }
        output.report(SerdeBenchmark.run(seconds, rounds));
        return 0;
    }
}
