package io.npid.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * A child JVM running a main class of the test classpath, with stdout and stderr in files.
 *
 * <p>Stdout goes to a file, not a pipe, because {@code Process.destroyForcibly()} closes the pipe and drops what
 * the child wrote just before it died; the crash test needs every "committed" line the child printed.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(final Process process, final Path stdout, final Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static ChildJvm start(final Class<?> main, final Path workDir, final String name, final String... args)
            throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to start: the child only writes to RocksDB.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        // RocksDB extracts its 15 MB native library to a fresh temp file per JVM and deletes it only at a normal
        // exit; SIGKILLed children would leave one behind each. Found on java.library.path, it is used in place.
        command.add("-Djava.library.path=" + nativeLibraryDir(workDir));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        final Path out = workDir.resolve(name + ".out");
        final Path err = workDir.resolve(name + ".err");
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        return new ChildJvm(builder.start(), out, err);
    }

    /** Extracts RocksDB's native library for this platform once into workDir/native and returns that directory. */
    private static synchronized Path nativeLibraryDir(final Path workDir) throws IOException {
        final Path dir = workDir.resolve("native");
        final String name = Environment.getJniLibraryFileName("rocksdb");
        final Path lib = dir.resolve(name);
        if (!Files.exists(lib)) {
            Files.createDirectories(dir);
            try (InputStream in = RocksDB.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("RocksDB native library " + name + " is not on the test classpath");
                }
                Files.copy(in, lib);
            }
        }
        return dir;
    }

    /**
     * Waits until the child has printed at least {@code count} complete lines.
     *
     * @return the lines so far, or fewer than count if the child died or the time ran out
     */
    List<String> awaitLines(final int count, final long timeoutMs) throws InterruptedException {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        List<String> lines = lines();
        while (lines.size() < count && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
            lines = lines();
        }
        return lines();
    }

    /** Sends SIGKILL (destroyForcibly on Linux), waits for death, and returns every line printed before it. */
    List<String> kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        return lines();
    }

    /** Complete lines of stdout; a line cut by the kill (no newline yet) is left out. */
    List<String> lines() {
        try {
            final String all = Files.readString(stdout, StandardCharsets.UTF_8);
            final int end = all.lastIndexOf('\n');
            return end < 0 ? List.of() : List.of(all.substring(0, end).split("\n"));
        } catch (final IOException e) {
            return List.of();
        }
    }

    Process process() {
        return process;
    }

    String stderrTail() {
        try {
            final String all = Files.readString(stderr);
            return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
        } catch (final IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
