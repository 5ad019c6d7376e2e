package io.npid.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The reason registry is the only spelling of each reason, and docs/operating.md's table lists exactly it. */
class DeadLetterReasonTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> CODES = Arrays.stream(DeadLetterReason.values())
            .map(DeadLetterReason::code)
            .collect(Collectors.toCollection(TreeSet::new));

    @Test
    void shouldHaveUniqueKebabCodesWithMeanings() {
        assertEquals(DeadLetterReason.values().length, CODES.size());
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            assertTrue(reason.code().matches("[a-z]+(-[a-z]+)*"), reason.code());
            assertTrue(!reason.meaning().isBlank(), reason.code());
            assertEquals(reason, DeadLetterReason.ofCode(reason.code()).orElseThrow());
        }
        assertTrue(DeadLetterReason.ofCode("no-such-reason").isEmpty());
        assertTrue(DeadLetterReason.ofCode(null).isEmpty());
    }

    @Test
    void shouldRefuseAnUnregisteredReason() {
        final DeadLetters letters = new DeadLetters("trainer");
        assertThrows(
                IllegalArgumentException.class,
                () -> letters.of("images", 0, 1L, null, new byte[0], "made-up", "detail"));
        assertEquals(
                "null-key",
                letters.of("images", 0, 1L, null, new byte[0], "null-key", "d").getReason());
    }

    /** The operator's table of reasons (docs/operating.md) names every registered reason and no other. */
    @Test
    void shouldDocumentEveryReason() throws IOException {
        final Pattern row = Pattern.compile("^\\| `([a-z-]+)` \\| (.+) \\|$");
        final Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/operating.md"))) {
            final Matcher m = row.matcher(line);
            if (m.matches()) {
                documented.put(m.group(1), m.group(2));
            }
        }
        assertEquals(CODES, documented.keySet());
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            assertEquals(reason.meaning(), documented.get(reason.code()), reason.code());
        }
    }

    /** No main source spells a reason itself: each process takes its reasons from the registry. */
    @Test
    void shouldSpellEveryReasonOnlyInTheRegistry() throws IOException {
        final Pattern literal = Pattern.compile("\"([a-z]+(?:-[a-z]+)*)\"");
        final Set<String> offenders = new TreeSet<>();
        for (String module : List.of("schemas", "feature-store", "trainer", "indexer", "deploy")) {
            final Path main = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (file.endsWith(Path.of("io/npid/schemas/DeadLetterReason.java"))) {
                        continue;
                    }
                    final Matcher m = literal.matcher(Files.readString(file));
                    while (m.find()) {
                        if (CODES.contains(m.group(1))) {
                            offenders.add(ROOT.relativize(file) + ": \"" + m.group(1) + "\"");
                        }
                    }
                }
            }
        }
        assertEquals(Set.of(), offenders);
    }
}
