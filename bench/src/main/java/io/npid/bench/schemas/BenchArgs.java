package io.npid.bench.schemas;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} arguments of a benchmark main, with defaults; {@code --json PATH} is always allowed. */
final class BenchArgs {

    private static final String JSON = "--json";

    private final Map<String, String> values;

    private BenchArgs(final Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses the arguments.
     *
     * @param args command-line arguments
     * @param defaults every allowed option with its default
     * @return the parsed arguments
     * @throws IllegalArgumentException naming an unknown option or one without a value
     */
    static BenchArgs parse(final String[] args, final Map<String, String> defaults) {
        final Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            final String name = args[i];
            if (!defaults.containsKey(name) && !JSON.equals(name)) {
                throw new IllegalArgumentException("Unknown option " + name + "; options: " + defaults.keySet()
                        + " and " + JSON);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + name + " needs a value");
            }
            values.put(name, args[i + 1]);
        }
        return new BenchArgs(values);
    }

    /**
     * The value of an option.
     *
     * @param name the option, e.g. {@code --rounds}
     * @return its value
     */
    String get(final String name) {
        return values.get(name);
    }

    /**
     * Where to write the JSON report.
     *
     * @return the path, or null to print only
     */
    String json() {
        return values.get(JSON);
    }
}
