package io.npid.deploy.bench;

import io.npid.bench.report.BenchJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every {@code npid bench} command shares (a picocli mixin): the {@code --json FILE} option, printing the
 * figures on the command's output and writing them to that file.
 */
final class BenchOutput {

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures to FILE as JSON.")
    Path json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /**
     * Prints the figures as aligned lines and writes them as JSON when {@code --json} was given.
     *
     * @param figures JSON keys to values
     * @throws IOException when the file cannot be written
     */
    void report(final Map<String, Object> figures) throws IOException {
        BenchJson.report(figures, spec.commandLine().getOut(), json);
    }

    /**
     * Writes figures as JSON when {@code --json} was given.
     *
     * @param figures a map or record of figures
     * @throws IOException when the file cannot be written
     */
    void write(final Object figures) throws IOException {
        if (json != null) {
            BenchJson.write(figures, json);
        }
    }

    /**
     * The command's error stream, for progress lines and descriptions.
     *
     * @return the writer
     */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
