package io.npid.deploy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * The outcome of one in-process {@code npid} invocation: exit code and captured stdout and stderr.
 *
 * <p>{@link #toString()} shows all three, so an assertion message says what the command printed.
 *
 * @param exitCode the exit code
 * @param out what went to stdout
 * @param err what went to stderr
 */
record CliResult(int exitCode, String out, String err) {

    /**
     * Runs {@code npid} in this JVM with captured output.
     *
     * @param args the arguments after {@code npid}
     * @return the outcome
     */
    static CliResult run(final String... args) {
        return run(NpidCommand.newCommandLine(), args);
    }

    /**
     * Runs a command line in this JVM with captured output.
     *
     * @param commandLine a command line with npid's handlers
     * @param args the arguments
     * @return the outcome
     */
    static CliResult run(final CommandLine commandLine, final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int code = commandLine.execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}
