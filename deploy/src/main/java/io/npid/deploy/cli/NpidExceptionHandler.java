package io.npid.deploy.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns whatever a command throws into one line on stderr and an exit code; stack traces only with {@code --verbose}.
 *
 * <p>It also handles usage errors: the parser's message, a suggestion when the word was close to a known one, and a
 * pointer to {@code --help} instead of the full usage text.
 */
public final class NpidExceptionHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(
            final Exception ex, final CommandLine commandLine, final ParseResult parseResult) {
        final Failure failure = Failure.of(ex);
        final PrintWriter err = commandLine.getErr();
        err.println(commandLine
                .getColorScheme()
                .errorText("npid: " + failure.message())
                .toString());
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        } else if (failure.unexpected()) {
            err.println("Run again with --verbose for the stack trace.");
        }
        err.flush();
        return failure.exitCode();
    }

    @Override
    public int handleParseException(final ParameterException ex, final String[] args) {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println(commandLine
                .getColorScheme()
                .errorText("npid: " + ex.getMessage())
                .toString());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static boolean verbose(final ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
