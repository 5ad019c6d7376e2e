package io.npid.deploy.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code npid bench jmh}: the JMH micro-benchmarks of the bench module (io.npid.bench.jmh), run by JMH's own command
 * line, so every JMH option works; {@code --json FILE} is short for {@code -rf json -rff FILE}.
 */
@Command(
        name = "jmh",
        description = {
            "JMH micro-benchmarks: kNN search kernels, event serdes, feature-bank reads/writes, NCE loss.",
            "Other arguments go to JMH, e.g. -l (list), -f 1 -wi 2 -i 3, -p rows=5000, or a regex naming benchmarks;"
                    + " -h shows JMH's help."
        })
public final class BenchJmhCommand implements Callable<Integer> {

    @Option(names = "--json", paramLabel = "FILE", description = "Write JMH's results to FILE as JSON.")
    Path json;

    @Unmatched
    List<String> jmhArguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        final List<String> arguments = new ArrayList<>(jmhArguments);
        if (json != null) {
            arguments.addAll(List.of("-rf", "json", "-rff", json.toString()));
        }
        // JMH's Main prints its own errors and exits with 1 on a bad option or a failed run.
        org.openjdk.jmh.Main.main(arguments.toArray(String[]::new));
        return 0;
    }
}
