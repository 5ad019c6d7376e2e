package io.npid.deploy.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code npid bench}: the benchmarks of each part, printing figures and writing them as JSON. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure a part of npid and write the figures as JSON (--json FILE).",
        subcommands = {
            BenchStoreCommand.class,
            BenchTrainCommand.class,
            BenchKnnCommand.class,
            BenchE2eCommand.class,
            BenchLearnCommand.class,
            BenchImagesCommand.class,
            BenchIngestCommand.class,
            BenchSerdeCommand.class,
            BenchEmbedCommand.class,
            BenchJmhCommand.class,
            BenchScaleCommand.class
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
