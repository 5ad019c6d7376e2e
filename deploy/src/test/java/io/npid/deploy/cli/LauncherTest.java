package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code deploy/bin/npid} as a user runs it, on a copy of its tree with a stand-in {@code java} (which
 * prints its arguments and the noise the real JVM and libtorch print) and, for the build, a stand-in {@code mvn}
 * (which prints the colour codes Debian's Maven prints even in batch mode).
 */
class LauncherTest {
    private static final String ESC = "\u001b";

    @TempDir
    Path dir;

    private Path root;
    private Path javaHome;
    private Path bin;

    @BeforeEach
    void copyTheLauncherAndFakeJava() throws IOException {
        root = dir.resolve("repo");
        Files.createDirectories(root.resolve("deploy/bin"));
        Files.createDirectories(root.resolve("deploy/target/lib"));
        Files.copy(Path.of("bin", "npid"), root.resolve("deploy/bin/npid"));
        executable(root.resolve("deploy/bin/npid"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.writeString(root.resolve("deploy/target/npid.jar"), "not a jar: java is a stand-in\n");
        javaHome = dir.resolve("jdk");
        Files.createDirectories(javaHome.resolve("bin"));
        // what the real JVM and libtorch print on stderr, around one line of npid's own
        script(javaHome.resolve("bin/java"), """
            #!/usr/bin/env bash
            echo "ARGS $*"
            echo "WARNING: Using incubator modules: jdk.incubator.vector" >&2
            echo "[W1202 17:20:20.060326631 LegacyTypeDispatch.h:74] Warning: AutoNonVariableTypeMode is \
            deprecated and will be removed in 1.10 release. (function operator())" >&2
            echo "[W1202 17:20:32.874690834 NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported \
            hardware." >&2
            echo "npid: a line of npid's own" >&2
            echo "WARNING: a warning npid did not foresee" >&2
            exit 7
            """);
        bin = dir.resolve("bin");
        Files.createDirectories(bin);
    }

    @Test
    void shouldLoadTheVectorModuleWhereverTheGlobalOptionsStand() throws Exception {
        for (List<String> args : List.of(
                List.of("bench", "knn"),
                List.of("--verbose", "bench", "knn"),
                List.of("--verbose", "local"),
                List.of("indexer", "--verbose"),
                List.of("query", "x.png"))) {
            final Run run = launch(Map.of("NPID_NO_BUILD", "1"), args);

            assertEquals(7, run.exit(), run.toString());
            assertTrue(run.out().contains("--add-modules jdk.incubator.vector -jar"), args + ": " + run);
            assertTrue(run.out().strip().endsWith("npid.jar " + String.join(" ", args)), run.toString());
        }
    }

    @Test
    void shouldKeepTheJvmAndLibtorchNoiseOffStderrUnlessVerbose() throws Exception {
        final Run quiet = launch(Map.of("NPID_NO_BUILD", "1"), List.of("local"));

        assertEquals(
                List.of("npid: a line of npid's own", "WARNING: a warning npid did not foresee"),
                quiet.err().lines().toList(),
                quiet.toString());

        final Run verbose = launch(Map.of("NPID_NO_BUILD", "1"), List.of("--verbose", "local"));

        assertEquals(5, verbose.err().lines().count(), verbose.toString());
        assertTrue(verbose.err().contains("Using incubator modules"), verbose.toString());
        assertTrue(verbose.err().contains("NNPACK"), verbose.toString());
    }

    @Test
    void shouldBuildQuietlyWithoutColourCodes() throws Exception {
        makeStale();
        script(bin.resolve("mvn"), "#!/usr/bin/env bash\nprintf '\\033[0m\\033[0m'\nprintf '\\033[1mINFO\\033[m\\n'\n");

        final Run run = launch(Map.of(), List.of("--version"));

        assertEquals(7, run.exit(), run.toString());
        assertFalse(run.err().contains(ESC) || run.out().contains(ESC), run.toString());
        assertTrue(run.err().startsWith("npid: building "), run.toString());
    }

    @Test
    void shouldShowAFailedBuildsErrorsWithoutColourCodes() throws Exception {
        makeStale();
        script(
                bin.resolve("mvn"),
                "#!/usr/bin/env bash\nprintf '\\033[0m\\033[0m'\n"
                        + "printf '\\033[1;31m[ERROR]\\033[m COMPILATION ERROR: Foo.java:[3,1] class expected\\n'\nexit 1\n");

        final Run run = launch(Map.of(), List.of("--version"));

        assertEquals(1, run.exit(), run.toString());
        assertFalse(run.err().contains(ESC), run.toString());
        assertTrue(run.err().contains("[ERROR] COMPILATION ERROR: Foo.java:[3,1] class expected"), run.toString());
        assertTrue(run.err().contains("npid: the build failed"), run.toString());
        assertFalse(run.out().contains("ARGS"), "java must not run after a failed build: " + run);
    }

    private void makeStale() throws IOException {
        Files.setLastModifiedTime(
                root.resolve("deploy/target/npid.jar"),
                FileTime.from(Instant.now().minusSeconds(60)));
    }

    private Run launch(final Map<String, String> env, final List<String> args) throws Exception {
        final List<String> command =
                new ArrayList<>(List.of(root.resolve("deploy/bin/npid").toString()));
        command.addAll(args);
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().remove("NPID_RAW_STDERR");
        final Process process = builder.start();
        process.getOutputStream().close();
        // read both to their end: stderr ends when the launcher's filter has passed on the last line, which may be
        // a moment after the JVM (here the stand-in) exits
        final CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        final String out = readAll(process.getInputStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 60 s");
        }
        return new Run(process.exitValue(), out, err.get(60, TimeUnit.SECONDS));
    }

    private static String readAll(final InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void script(final Path file, final String text) throws IOException {
        Files.writeString(file, text);
        executable(file);
    }

    private static void executable(final Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** What one launch printed. */
    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }
}
