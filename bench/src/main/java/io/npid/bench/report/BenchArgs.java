package io.npid.bench.report;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command line of a benchmark main: {@code --name value} options, each declared with its default, on/off flags
 * without a value, and learner settings as {@code --set KEY=VALUE} or a bare {@code KEY=VALUE} where the main
 * declares {@code --set}. {@code --json FILE} is always allowed. Anything else is refused with the list of options,
 * so a typo never runs the defaults silently.
 */
public final class BenchArgs {

    /** The option every main takes: where to write the figures as JSON. */
    public static final String JSON = "--json";

    private static final String SET = "--set";

    private final Map<String, String> values;
    private final Set<String> flagsGiven;
    private final Map<String, String> settings;

    private BenchArgs(
            final Map<String, String> values, final Set<String> flagsGiven, final Map<String, String> settings) {
        this.values = values;
        this.flagsGiven = flagsGiven;
        this.settings = settings;
    }

    /**
     * Parses options that all take a value.
     *
     * @param args command-line arguments
     * @param defaults every allowed option (with its leading dashes) and its default, null for "unset"
     * @return the parsed options
     * @throws IllegalArgumentException naming an unknown option or one without a value
     */
    public static BenchArgs parse(final String[] args, final Map<String, String> defaults) {
        return parse(args, defaults, Set.of());
    }

    /**
     * Parses options and flags.
     *
     * @param args command-line arguments
     * @param defaults every allowed option that takes a value and its default (null for "unset"); declaring
     *     {@code --set} allows settings
     * @param flags every allowed option that takes no value, e.g. {@code --no-initial}
     * @return the parsed options
     * @throws IllegalArgumentException naming an unknown option, one without a value or a malformed setting
     */
    public static BenchArgs parse(final String[] args, final Map<String, String> defaults, final Set<String> flags) {
        final Map<String, String> values = new LinkedHashMap<>(defaults);
        values.putIfAbsent(JSON, null);
        final Set<String> given = new java.util.HashSet<>();
        final Map<String, String> settings = new LinkedHashMap<>();
        final boolean takesSettings = defaults.containsKey(SET);
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (flags.contains(arg)) {
                given.add(arg);
            } else if (takesSettings && !arg.startsWith("--") && arg.indexOf('=') > 0) {
                putSetting(settings, arg);
            } else if (!values.containsKey(arg)) {
                throw new IllegalArgumentException("Unknown option " + arg + "; options: " + values.keySet()
                        + (flags.isEmpty() ? "" : " and flags " + flags));
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + arg + " needs a value");
            } else if (SET.equals(arg)) {
                putSetting(settings, args[++i]);
            } else {
                values.put(arg, args[++i]);
            }
        }
        return new BenchArgs(values, given, settings);
    }

    private static void putSetting(final Map<String, String> settings, final String keyValue) {
        final int eq = keyValue.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("A setting needs KEY=VALUE, got " + keyValue);
        }
        settings.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }

    /**
     * The value of an option.
     *
     * @param name the option, e.g. {@code --rounds}
     * @return its value, or null where it is unset
     */
    public String get(final String name) {
        return values.get(name);
    }

    /**
     * The value of an option as a whole number.
     *
     * @param name the option
     * @return its value
     * @throws IllegalArgumentException naming the option if the value is not a whole number
     */
    public int getInt(final String name) {
        final String value = values.get(name);
        try {
            return Integer.parseInt(value);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("Option " + name + " needs a whole number, not '" + value + "'", e);
        }
    }

    /**
     * The value of an option as a number.
     *
     * @param name the option
     * @return its value
     * @throws IllegalArgumentException naming the option if the value is not a number
     */
    public double getDouble(final String name) {
        final String value = values.get(name);
        try {
            return Double.parseDouble(value);
        } catch (final NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("Option " + name + " needs a number, not '" + value + "'", e);
        }
    }

    /**
     * Whether a flag was given.
     *
     * @param name the flag, e.g. {@code --no-initial}
     * @return true if it was on the command line
     */
    public boolean flag(final String name) {
        return flagsGiven.contains(name);
    }

    /**
     * The settings given as {@code --set KEY=VALUE} or {@code KEY=VALUE}, in order.
     *
     * @return key to value, unmodifiable
     */
    public Map<String, String> settings() {
        return Collections.unmodifiableMap(settings);
    }

    /**
     * Where to write the JSON figures.
     *
     * @return the file, or null to print only
     */
    public Path json() {
        final String json = values.get(JSON);
        return json == null ? null : Path.of(json);
    }
}
