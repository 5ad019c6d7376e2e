package io.npid.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

    private static Map<String, String> defaults() {
        final Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--rounds", "3");
        defaults.put("--data", null);
        defaults.put("--set", null);
        return defaults;
    }

    @Test
    void shouldKeepDefaultsAndTakeGivenValues() {
        final BenchArgs args = BenchArgs.parse(new String[] {"--rounds", "5", "--json", "out/x.json"}, defaults());

        assertEquals(5, args.getInt("--rounds"));
        assertNull(args.get("--data"));
        assertEquals(Path.of("out/x.json"), args.json());
    }

    @Test
    void shouldCollectSettingsGivenEitherWayAndFlags() {
        final BenchArgs args = BenchArgs.parse(
                new String[] {"--set", "npid.lr=0.03", "--no-initial", "npid.threads=1"},
                defaults(),
                Set.of("--no-initial", "--no-recomputed"));

        assertEquals(Map.of("npid.lr", "0.03", "npid.threads", "1"), args.settings());
        assertTrue(args.flag("--no-initial"));
        assertFalse(args.flag("--no-recomputed"));
        assertNull(args.json());
    }

    @Test
    void shouldRefuseUnknownOptionsMissingValuesAndBadNumbers() {
        final IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class, () -> BenchArgs.parse(new String[] {"--round", "5"}, defaults()));
        assertTrue(
                unknown.getMessage().contains("--round") && unknown.getMessage().contains("--rounds"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchArgs.parse(new String[] {"--rounds"}, defaults()));
        assertThrows(
                IllegalArgumentException.class,
                () -> BenchArgs.parse(new String[] {"npid.lr=1"}, Map.of("--rounds", "3")),
                "no --set declared");
        final BenchArgs text = BenchArgs.parse(new String[] {"--rounds", "many"}, defaults());
        assertThrows(IllegalArgumentException.class, () -> text.getInt("--rounds"));
    }
}
