package io.npid.deploy.reliability;

import io.npid.deploy.cli.NpidCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * One {@code npid} command running in a child JVM on the test class path, output in files, that a test can kill
 * with SIGKILL ({@link #kill()}) or stop with SIGTERM ({@link #stop()}).
 *
 * <p>Output goes to files rather than pipes so nothing the child printed just before a kill is lost. The child
 * loads RocksDB's native library from one extracted copy on {@code java.library.path}: otherwise each JVM extracts
 * its own 15 MB temp file and a SIGKILLed one never deletes it.
 */
final class NpidChild implements AutoCloseable {
    /** GNU env, which can reset a signal to its default before it starts a program. */
    private static final Path ENV = Path.of("/usr/bin/env");

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private NpidChild(final String name, final Process process, final Path out, final Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code npid ARGS} in a child JVM.
     *
     * @param workDir where the output files and the native library go
     * @param name a name for the output files
     * @param env extra environment variables
     * @param args the npid arguments, e.g. {@code indexer --bootstrap-servers ...}
     * @return the running child
     * @throws IOException when the JVM cannot be started
     */
    static NpidChild start(
            final Path workDir, final String name, final Map<String, String> env, final List<String> args)
            throws IOException {
        return start(workDir, name, "384m", env, args);
    }

    /**
     * Starts {@code npid ARGS} in a child JVM with a given heap.
     *
     * @param workDir where the output files and the native library go
     * @param name a name for the output files
     * @param heap the -Xmx value, e.g. {@code 768m} for a trainer
     * @param env extra environment variables
     * @param args the npid arguments
     * @return the running child
     * @throws IOException when the JVM cannot be started
     */
    static NpidChild start(
            final Path workDir,
            final String name,
            final String heap,
            final Map<String, String> env,
            final List<String> args)
            throws IOException {
        return start(workDir, name, heap, List.of(), env, args);
    }

    /**
     * Starts {@code npid ARGS} in a child JVM with a given heap and JVM options.
     *
     * @param workDir where the output files and the native library go
     * @param name a name for the output files
     * @param heap the -Xmx value
     * @param jvmOptions more JVM options, e.g. {@code -Djava.io.tmpdir=DIR}
     * @param env extra environment variables
     * @param args the npid arguments
     * @return the running child
     * @throws IOException when the JVM cannot be started
     */
    static NpidChild start(
            final Path workDir,
            final String name,
            final String heap,
            final List<String> jvmOptions,
            final Map<String, String> env,
            final List<String> args)
            throws IOException {
        final List<String> command = new ArrayList<>();
        if (Files.isExecutable(ENV)) {
            // a test run started in the background of a script ignores SIGINT, and so would the child (a JVM
            // that starts with SIGINT ignored never handles it): the child gets the default back, as in a terminal
            command.addAll(List.of(ENV.toString(), "--default-signal=INT"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dai.djl.offline=true",
                "--add-modules",
                "jdk.incubator.vector",
                "-Djava.library.path=" + nativeLibraryDir(workDir)));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NpidCommand.class.getName()));
        command.addAll(args);
        final Path out = workDir.resolve(name + ".out");
        final Path err = workDir.resolve(name + ".err");
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        builder.environment().putAll(env);
        return new NpidChild(name, builder.start(), out, err);
    }

    /** Extracts RocksDB's native library for this platform once into workDir/native. */
    private static synchronized Path nativeLibraryDir(final Path workDir) throws IOException {
        final Path dir = workDir.resolve("native");
        final String file = Environment.getJniLibraryFileName("rocksdb");
        final Path lib = dir.resolve(file);
        if (!Files.exists(lib)) {
            Files.createDirectories(dir);
            try (InputStream in = RocksDB.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new IOException("RocksDB native library " + file + " is not on the test class path");
                }
                Files.copy(in, lib);
            }
        }
        return dir;
    }

    /**
     * Waits until stderr or stdout contains a text.
     *
     * @param text what to wait for
     * @param timeoutSeconds how long
     * @throws AssertionError when the child died or the time ran out first
     */
    void awaitOutput(final String text, final long timeoutSeconds) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!output().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(
                        name + " never printed '" + text + "' (alive " + process.isAlive() + "):\n" + tail());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeoutSeconds how long
     * @return the exit code
     */
    int awaitExit(final long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " still running after " + timeoutSeconds + " s:\n" + tail());
        }
        return process.exitValue();
    }

    /** Sends SIGKILL and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * Sends SIGTERM (the shutdown hook closes the process cleanly) and waits.
     *
     * @return the exit code
     */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    /**
     * Sends SIGINT, as Ctrl-C in a terminal does.
     *
     * @throws IOException when kill cannot be run
     */
    void interrupt() throws IOException, InterruptedException {
        final Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -INT " + process.pid() + " exited " + kill.exitValue());
        }
    }

    /** @return the process id */
    long pid() {
        return process.pid();
    }

    /** @return whether it runs */
    boolean alive() {
        return process.isAlive();
    }

    /** @return everything it printed so far, stdout then stderr */
    String output() {
        return read(out) + read(err);
    }

    /** @return the last 4,000 characters of the output */
    String tail() {
        final String all = output();
        return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
    }

    private static String read(final Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
