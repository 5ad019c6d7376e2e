package io.npid.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npid.deploy.process.SettingException;
import io.npid.deploy.settings.SettingsCatalog;
import io.npid.deploy.settings.SettingsCatalog.Section;
import io.npid.deploy.settings.SettingsMarkdown;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npid settings [COMMAND] [--json | --markdown [--write FILE]]}: every setting a command takes, generated
 * from the modules' definitions; {@code --markdown} is the README's table of the important ones.
 */
@Command(
        name = "settings",
        mixinStandardHelpOptions = true,
        description = "List the settings (--set KEY=VALUE or the --config file) a command takes: key, type, default, "
                + "valid values and meaning. COMMAND is one of trainer, embedder, indexer, local, bench learn; all when "
                + "omitted.")
public final class SettingsCommand implements Callable<Integer> {

    @Parameters(arity = "0..2", paramLabel = "COMMAND", description = "The command, e.g. trainer or bench learn.")
    List<String> command = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON (one object per command, its settings in a list).")
    boolean json;

    @Option(
            names = "--markdown",
            description = "Print the table of the important settings (those a definition "
                    + "marks HIGH), as the README lists them.")
    boolean markdown;

    @Option(
            names = "--write",
            paramLabel = "FILE",
            description = "With --markdown: put the table between the "
                    + "settings markers of FILE (README.md) instead of printing it.")
    Path write;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final List<String> commands;
        if (command.isEmpty()) {
            commands = SettingsCatalog.COMMANDS;
        } else {
            final String name = String.join(" ", command);
            if (!SettingsCatalog.COMMANDS.contains(name)) {
                throw new SettingException(
                        "COMMAND", name, "must be one of " + String.join(", ", SettingsCatalog.COMMANDS));
            }
            commands = List.of(name);
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (write != null && !markdown) {
            throw new SettingException("--write", write, "is only taken with --markdown");
        }
        if (markdown && write != null) {
            try {
                Files.writeString(
                        write, SettingsMarkdown.replace(Files.readString(write), SettingsMarkdown.table(commands)));
            } catch (final IllegalArgumentException e) {
                throw new SettingException("--write", write, e.getMessage());
            }
            out.println("settings: wrote the table of important settings into " + write);
        } else if (markdown) {
            out.print(SettingsMarkdown.table(commands));
        } else if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(commands)));
        } else {
            commands.forEach(c -> printTable(out, c));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static ArrayNode toJson(final List<String> commands) {
        final ObjectMapper mapper = new ObjectMapper();
        final ArrayNode all = mapper.createArrayNode();
        for (String c : commands) {
            final ObjectNode node = all.addObject();
            node.put("command", c);
            final ArrayNode settings = node.putArray("settings");
            for (Section section : SettingsCatalog.sections(c)) {
                for (ConfigDef.ConfigKey key : section.keys()) {
                    final ObjectNode k = settings.addObject();
                    k.put("key", key.name);
                    k.put("section", section.title());
                    k.put("type", type(key));
                    if (key.hasDefault()) {
                        k.put("default", defaultValue(key));
                    } else {
                        k.put("required", true);
                    }
                    k.put("valid", valid(key));
                    k.put("doc", key.documentation);
                }
            }
        }
        return all;
    }

    private static void printTable(final PrintWriter out, final String command) {
        out.println("Settings of npid " + command + " (--set KEY=VALUE, or KEY=VALUE in the --config file):");
        for (Section section : SettingsCatalog.sections(command)) {
            if (section.keys().isEmpty()) {
                continue;
            }
            out.println();
            out.println("  " + section.title());
            final int width =
                    section.keys().stream().mapToInt(k -> k.name.length()).max().orElse(0);
            for (ConfigDef.ConfigKey key : section.keys()) {
                final String valid = valid(key);
                out.printf(
                        Locale.ROOT,
                        "  %-" + width + "s  %-8s default %s%s%n",
                        key.name,
                        type(key),
                        key.hasDefault() ? shown(defaultValue(key)) : "(required)",
                        valid.isEmpty() ? "" : ", valid " + valid);
                out.println("      " + key.documentation);
            }
        }
        out.println();
    }

    private static String type(final ConfigDef.ConfigKey key) {
        return key.type.name().toLowerCase(Locale.ROOT);
    }

    private static String defaultValue(final ConfigDef.ConfigKey key) {
        final Object v = key.defaultValue;
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(v);
    }

    private static String shown(final String value) {
        if (value == null) {
            return "(none)";
        }
        return value.isEmpty() ? "(empty)" : value;
    }

    private static String valid(final ConfigDef.ConfigKey key) {
        return key.validator == null ? "" : key.validator.toString();
    }
}
