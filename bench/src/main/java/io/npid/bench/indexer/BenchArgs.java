package io.npid.bench.indexer;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --name value} options of a benchmark main, each with a default; unknown options are refused. */
final class BenchArgs {

    private final Map<String, String> values;

    private BenchArgs(final Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses arguments against the allowed options.
     *
     * @param args command-line arguments
     * @param defaults every allowed option (with its leading dashes) and its default, null for "unset"
     * @return the parsed options
     * @throws IllegalArgumentException naming an unknown option or one without a value
     */
    static BenchArgs parse(final String[] args, final Map<String, String> defaults) {
        final Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            if (!defaults.containsKey(args[i])) {
                throw new IllegalArgumentException("Unknown option " + args[i] + "; options: " + defaults.keySet());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + args[i] + " needs a value");
            }
            values.put(args[i], args[i + 1]);
        }
        return new BenchArgs(values);
    }

    String get(final String name) {
        return values.get(name);
    }

    int getInt(final String name) {
        final String value = values.get(name);
        try {
            return Integer.parseInt(value);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("Option " + name + " needs a whole number, not '" + value + "'", e);
        }
    }
}
