package io.npid.deploy.cli;

import io.npid.deploy.bench.BenchCommand;
import io.npid.deploy.process.LogLevels;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top {@code npid} command: lists the subcommands and holds the options every subcommand shares.
 *
 * <p>{@link #main(String[])} only builds the command line and exits with its code; {@link #newCommandLine()} is what
 * tests run in-process, with their own out and err writers.
 */
@Command(
        name = "npid",
        mixinStandardHelpOptions = true,
        versionProvider = NpidVersion.class,
        description = "Streaming non-parametric instance discrimination on Kafka: train, embed, index, query.",
        subcommands = {
            LocalCommand.class,
            TrainerCommand.class,
            EmbedderCommand.class,
            IndexerCommand.class,
            IngestCommand.class,
            QueryCommand.class,
            EvalCommand.class,
            TopicsCommand.class,
            TailCommand.class,
            BenchCommand.class,
            SettingsCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class NpidCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(final String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * Builds the command line with npid's error handling; the caller may replace out and err.
     *
     * @return a fresh command line
     */
    public static CommandLine newCommandLine() {
        final NpidExceptionHandler handler = new NpidExceptionHandler();
        return new CommandLine(new NpidCommand())
                .setExecutionExceptionHandler(handler)
                .setParameterExceptionHandler(handler)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true);
    }

    /**
     * Turns on stack traces (read by {@link NpidExceptionHandler}) and the libraries' INFO logs.
     *
     * @param verbose whether the flag was given
     */
    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print stack traces of errors and INFO logs of Kafka, DJL and RocksDB.")
    void setVerbose(final boolean verbose) {
        if (verbose) {
            LogLevels.verbose();
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
