package io.npid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of every module depend on each other one way: no package reaches itself through others.
 *
 * <p>It lives in deploy, the module built last, and reads the {@code src/main/java} of every module of the reactor
 * (found by walking up to the parent pom), so a cycle inside schemas or feature-store fails here too.
 */
class PackageCyclesTest {
    /** Comments, whose {@code @link}s are no dependency of the compiled class. */
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** Imports and fully qualified names of project classes (a class name starts with a capital). */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.npid(?:\\.[a-z]\\w*)*)\\.([A-Z]\\w*)");

    @Test
    void shouldHaveNoPackageCycle() throws IOException {
        final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();
        final Map<String, Set<String>> uses = packageGraph(reactorRoot(), edges);
        assertTrue(
                uses.keySet().containsAll(Set.of("io.npid.schemas", "io.npid.store", "io.npid.deploy.cli")),
                "read the packages of every module: " + uses.keySet());
        final List<Set<String>> cycles = new ArrayList<>();
        for (final String from : uses.keySet()) {
            final Set<String> cycle = new TreeSet<>();
            for (final String to : reachable(uses, from)) {
                if (reachable(uses, to).contains(from)) {
                    cycle.add(to);
                }
            }
            if (!cycle.isEmpty() && !cycles.contains(cycle)) {
                cycles.add(cycle);
            }
        }
        final StringBuilder named = new StringBuilder();
        for (final Set<String> cycle : cycles) {
            named.append("\ncycle ").append(cycle);
            for (final String from : cycle) {
                edges.getOrDefault(from, Map.of()).forEach((to, classes) -> {
                    if (cycle.contains(to)) {
                        named.append("\n  ")
                                .append(from)
                                .append(" -> ")
                                .append(to)
                                .append(' ')
                                .append(classes);
                    }
                });
            }
        }
        assertEquals(List.of(), cycles, "package cycles:" + named);
    }

    /** The directory of the parent pom: the first directory up from here whose pom.xml lists modules. */
    private static Path reactorRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            final Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no parent pom with <modules> above " + Path.of("").toAbsolutePath());
    }

    @Test
    void shouldSeeACycleWhenThereIsOne() {
        final Map<String, Set<String>> uses =
                Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertTrue(reachable(uses, "a").contains("a"));
        assertTrue(!reachable(uses, "d").contains("d"));
    }

    /**
     * Which packages each package of every module's {@code src/main/java} refers to; {@code edges} receives, per
     * pair of packages, the {@code Class->Class} references that make the edge (to name a cycle's cause).
     */
    private static Map<String, Set<String>> packageGraph(
            final Path root, final Map<String, Map<String, Set<String>>> edges) throws IOException {
        final Map<String, Set<String>> uses = new TreeMap<>();
        final String main = "src" + java.io.File.separator + "main" + java.io.File.separator + "java";
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> root.relativize(file).toString().contains(main))
                    .filter(file ->
                            !file.toString().contains(java.io.File.separator + "target" + java.io.File.separator))
                    .forEach(file -> {
                        final String text = COMMENT.matcher(read(file)).replaceAll(" ");
                        final Matcher declared = PACKAGE.matcher(text);
                        if (!declared.find()) {
                            return;
                        }
                        final Set<String> targets = uses.computeIfAbsent(declared.group(1), key -> new TreeSet<>());
                        final Matcher reference = REFERENCE.matcher(text);
                        while (reference.find()) {
                            if (!reference.group(1).equals(declared.group(1))) {
                                targets.add(reference.group(1));
                                final String self =
                                        file.getFileName().toString().replace(".java", "");
                                edges.computeIfAbsent(declared.group(1), key -> new TreeMap<>())
                                        .computeIfAbsent(reference.group(1), key -> new TreeSet<>())
                                        .add(self + "->" + reference.group(2));
                            }
                        }
                    });
        }
        return uses;
    }

    /** Every package reachable from {@code start} by one or more edges. */
    private static Set<String> reachable(final Map<String, Set<String>> uses, final String start) {
        final Set<String> seen = new HashSet<>();
        final Deque<String> todo = new ArrayDeque<>(uses.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            final String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(uses.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
