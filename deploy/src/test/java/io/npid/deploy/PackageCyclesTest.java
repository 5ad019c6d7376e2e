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

/** The deploy module's packages depend on each other one way: no package reaches itself through others. */
class PackageCyclesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** Imports and fully qualified names of deploy classes (a class name starts with a capital). */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.npid\\.deploy(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    @Test
    void shouldHaveNoPackageCycle() throws IOException {
        final Map<String, Set<String>> uses = packageGraph(Path.of("src/main/java"));
        assertTrue(uses.size() >= 6, "read the deploy packages: " + uses.keySet());
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
        assertEquals(List.of(), cycles, "package cycles (edges: " + uses + ")");
    }

    @Test
    void shouldSeeACycleWhenThereIsOne() {
        final Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
            "d", Set.of("a"));
        assertTrue(reachable(uses, "a").contains("a"));
        assertTrue(!reachable(uses, "d").contains("d"));
    }

    private static Map<String, Set<String>> packageGraph(final Path sources) throws IOException {
        final Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                final String text = read(file);
                final Matcher declared = PACKAGE.matcher(text);
                if (!declared.find()) {
                    return;
                }
                final Set<String> targets = uses.computeIfAbsent(declared.group(1), key -> new TreeSet<>());
                final Matcher reference = REFERENCE.matcher(text);
                while (reference.find()) {
                    if (!reference.group(1).equals(declared.group(1))) {
                        targets.add(reference.group(1));
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
