package io.npid.deploy.reliability;

import io.npid.deploy.cli.NpidCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One {@code npid} command run in this JVM with its output captured.
 *
 * @param exitCode the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
record Cli(int exitCode, String out, String err) {

    /**
     * Runs {@code npid ARGS}.
     *
     * @param args the arguments after {@code npid}
     * @return the outcome
     */
    static Cli run(final String... args) {
        final CommandLine commandLine = NpidCommand.newCommandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int code = commandLine.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}
