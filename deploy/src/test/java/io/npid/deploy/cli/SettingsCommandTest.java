package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.deploy.settings.SettingsCatalog;
import io.npid.deploy.settings.SettingsMarkdown;
import io.npid.schemas.config.RenamedSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code npid settings}: every setting a command takes, from the definitions, and the docs agree with them. */
class SettingsCommandTest {

    @Test
    void shouldListTheTrainersSettingsWithTypeDefaultAndValidValues() {
        final CliResult result = CliResult.run("settings", "trainer");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(
                result.out()
                        .lines()
                        .anyMatch(l -> l.matches(
                                "\\s+npid\\.trainer\\.epochs\\s+int\\s+default 0, " + "valid \\[0,\\.\\.\\.\\]")),
                result.out());
        assertTrue(result.out().contains("npid.lr "), result.out());
        assertTrue(
                result.out()
                        .lines()
                        .anyMatch(l -> l.matches("\\s+store\\.sync\\.writes\\s+boolean\\s+default " + "false")),
                result.out());
        assertTrue(
                result.out()
                        .lines()
                        .anyMatch(l -> l.matches(
                                "\\s+npid\\.trainer\\.data\\.dir\\s+string\\s+" + "default \\(required\\).*")),
                result.out());
    }

    @Test
    void shouldWriteJsonForEveryCommandWithEveryKeyOnce() throws IOException {
        final CliResult result = CliResult.run("settings", "--json");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        final JsonNode all = new ObjectMapper().readTree(result.out());
        assertEquals(SettingsCatalog.COMMANDS.size(), all.size());
        final Map<String, JsonNode> indexer = new HashMap<>();
        for (JsonNode command : all) {
            if (command.get("command").asText().equals("indexer")) {
                command.get("settings").forEach(s -> indexer.put(s.get("key").asText(), s));
                assertEquals(indexer.size(), command.get("settings").size(), "each key once");
            }
        }
        assertEquals("1000", indexer.get("npid.knn.k.max").get("default").asText());
        assertEquals("int", indexer.get("npid.topic.partitions").get("type").asText());
    }

    @Test
    void shouldRefuseACommandWithoutSettings() {
        final CliResult result = CliResult.run("settings", "query");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("trainer, embedder, indexer, local, bench learn"), result.toString());
    }

    @Test
    void shouldPointToItFromTheHelpOfEveryCommandWithSettings() {
        for (String[] help : List.of(
                new String[] {"trainer", "--help"},
                new String[] {"embedder", "--help"},
                new String[] {"indexer", "--help"},
                new String[] {"local", "--help"},
                new String[] {"bench", "learn", "--help"})) {
            final CliResult result = CliResult.run(help);
            assertTrue(result.out().contains("npid settings"), String.join(" ", help) + "\n" + result);
        }
    }

    /** The README's table of important settings is exactly what {@code npid settings --markdown} generates. */
    @Test
    void shouldHaveTheReadmesSettingsTableGeneratedFromTheDefinitions() throws IOException {
        final CliResult result = CliResult.run("settings", "--markdown");
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.out().contains("| `npid.lr` | double |"), result.out());
        final String readme =
                Files.readString(Path.of("..").toAbsolutePath().normalize().resolve("README.md"));

        assertEquals(
                result.out(),
                SettingsMarkdown.current(readme),
                "README.md's table of important settings "
                        + "differs from the definitions; regenerate it from the repository root with: java -jar "
                        + "deploy/target/npid.jar settings --markdown --write README.md");
    }

    @Test
    void shouldWriteTheTableBetweenTheMarkersOnly(@TempDir final Path dir) throws IOException {
        final Path doc = dir.resolve("doc.md");
        Files.writeString(doc, "intro\n" + SettingsMarkdown.BEGIN + "\nstale\n" + SettingsMarkdown.END + "\nend\n");

        final CliResult result = CliResult.run("settings", "trainer", "--markdown", "--write", doc.toString());

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        final String written = Files.readString(doc);
        assertTrue(written.startsWith("intro\n" + SettingsMarkdown.BEGIN + "\n| setting |"), written);
        assertTrue(written.endsWith(SettingsMarkdown.END + "\nend\n") && !written.contains("stale"), written);
        assertEquals(
                ExitCodes.USAGE,
                CliResult.run("settings", "--write", doc.toString()).exitCode());
    }

    /** Every npid.* or store.* key the user documentation names is one some command takes. */
    @Test
    void shouldDeclareEverySettingTheDocsMention() throws IOException {
        final Path root = Path.of("..").toAbsolutePath().normalize();
        final Pattern key = Pattern.compile("(?<![\\w.])((?:npid|store)\\.[a-z0-9]+(?:\\.[a-z0-9]+)+)\\b");
        final Set<String> known = SettingsCatalog.allKeys();
        final Set<String> missing = new TreeSet<>();
        for (Path doc : List.of(root.resolve("README.md"), root.resolve("docs/operating.md"))) {
            for (String line : Files.readAllLines(doc)) {
                if (line.matches(".*\\b(counters?|gauges?|timers?)\\b.*")) {
                    continue; // the metrics table and lines naming a meter: meter names, not settings
                }
                final Matcher m = key.matcher(line);
                while (m.find()) {
                    final String k = m.group(1);
                    if (!known.contains(k) && !RenamedSettings.RENAMED.containsKey(k) && !notASetting(k)) {
                        missing.add(doc.getFileName() + ": " + k);
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(), missing, "documented settings that no definition declares");
    }

    /** Names in the docs that look like settings but are not: topic names, packages, metric names, files. */
    private static boolean notASetting(final String name) {
        final List<String> notSettings = new ArrayList<>(List.of(
                "npid.images",
                "npid.labels",
                "npid.features",
                "npid.queries",
                "npid.query",
                "npid.results",
                "npid.checkpoints",
                "npid.dead",
                "npid.deploy",
                "npid.trainer.stream",
                "npid.schemas",
                "npid.store.",
                "npid.indexer.knn",
                "npid.properties",
                "npid.jar",
                "npid.tar",
                "npid.yaml",
                "npid.conf",
                "npid.model."));
        return notSettings.stream().anyMatch(name::startsWith)
                || name.endsWith(".java")
                || name.endsWith(".md")
                || name.endsWith(".json")
                || name.endsWith(".properties");
    }
}
