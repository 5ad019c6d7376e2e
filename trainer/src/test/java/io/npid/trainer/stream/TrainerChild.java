package io.npid.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link TrainerChildProcess} started by a crash test, with what it printed last; kill it or stop it cleanly. */
final class TrainerChild {
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** What a child printed last (its STARTED or STATUS line). */
    record Status(long step, long rows, long consumed, long rejected, long lag) {
        static Status parse(final String[] parts) {
            return new Status(value(parts[1]), value(parts[2]), value(parts[3]), value(parts[4]), value(parts[5]));
        }

        private static long value(final String part) {
            return Long.parseLong(part.substring(part.indexOf('=') + 1));
        }
    }

    private final Process process;
    private final CompletableFuture<Status> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private volatile Status status;

    TrainerChild(final String bootstrap, final String prefix, final Path dataDir) throws IOException {
        this(bootstrap, prefix, dataDir, List.of());
    }

    /** A child with settings overridden, each KEY=VALUE. */
    TrainerChild(final String bootstrap, final String prefix, final Path dataDir, final List<String> settings)
            throws IOException {
        final String java =
                Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new java.util.ArrayList<>(List.of(
                java,
                "-Xmx1g",
                "-XX:+UseSerialGC",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                TrainerChildProcess.class.getName(),
                bootstrap,
                prefix,
                dataDir.toString()));
        command.addAll(settings);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final Thread reader = new Thread(this::read, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("STATUS ") || line.startsWith("STARTED ")) {
                    status = Status.parse(line.split(" "));
                    if (line.startsWith("STARTED ")) {
                        started.complete(status);
                    }
                } else if (line.equals("STOPPED")) {
                    stopped.complete(null);
                } else {
                    output.add(line);
                }
            }
        } catch (final IOException e) {
            // the process died
        }
        started.completeExceptionally(new AssertionError("Child exited before starting: " + output));
    }

    Status awaitStarted() throws Exception {
        return started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    Status await(final String what, final Predicate<Status> condition) throws Exception {
        final long deadline = System.currentTimeMillis() + WAIT.toMillis();
        Status now = status;
        while (now == null || !condition.test(now)) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                throw new AssertionError(
                        "Child never reached " + what + " (" + now + ", alive " + process.isAlive() + "): " + output);
            }
            Thread.sleep(20);
            now = status;
        }
        return now;
    }

    /** Kills the child (SIGKILL) and says what it printed last. */
    String kill() throws InterruptedException {
        final String at = String.valueOf(status);
        process.destroyForcibly();
        process.waitFor();
        return at;
    }

    void stop() throws Exception {
        process.getOutputStream().close();
        stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
}
