package io.npid.schemas.config;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/**
 * Refuses keys no definition declares (old names of declared ones pass, see {@link RenamedSettings}), naming the
 * closest declared one, so that a typo such as {@code npid.lrr}
 * stops a process at start instead of leaving it to run with the default.
 */
public final class SettingNames {

    private SettingNames() {}

    /**
     * Fails on the first key (in sorted order) that starts with one of the prefixes and is not known.
     *
     * @param settings the settings given
     * @param prefixes the namespaces that are checked, e.g. {@code npid.} and {@code store.}; other keys pass
     * @param known every key the receiver declares
     * @param where what to read for the list, e.g. {@code npid settings trainer}
     * @throws ConfigException naming the unknown key and the closest known one
     */
    public static void requireKnown(
            final Map<String, ?> settings,
            final Collection<String> prefixes,
            final Collection<String> known,
            final String where) {
        for (Map.Entry<String, ?> e : new TreeMap<>(settings).entrySet()) {
            final String key = e.getKey();
            if (prefixes.stream().anyMatch(key::startsWith)
                    && !known.contains(key)
                    && !RenamedSettings.isOldNameOf(key, known)) {
                throw unknown(key, SecretMasker.shown(key, e.getValue()), known, where);
            }
        }
    }

    /**
     * Builds the error for one unknown key.
     *
     * @param key the unknown key
     * @param value the value given, already masked
     * @param known every known key
     * @param where what to read for the list of known keys
     * @return the exception, "Invalid value V for configuration K: unknown setting (did you mean X?); see W"
     */
    public static ConfigException unknown(
            final String key, final Object value, final Collection<String> known, final String where) {
        return new ConfigException(
                key,
                value,
                "unknown setting"
                        + closest(key, known)
                                .map(s -> " (did you mean " + s + "?)")
                                .orElse("") + "; see " + where);
    }

    /**
     * Finds the known key closest to a misspelt one.
     *
     * @param key the unknown key
     * @param known the candidates
     * @return the nearest candidate within a small edit distance, preferring the first on ties
     */
    public static Optional<String> closest(final String key, final Collection<String> known) {
        String best = null;
        int bestDistance = Math.max(3, key.length() / 5) + 1;
        for (String candidate : new TreeSet<>(known)) { // sorted, so that ties are always broken the same way
            final int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The Levenshtein distance of two strings.
     *
     * @param a one string
     * @param b the other
     * @return insertions, deletions and substitutions that turn a into b
     */
    public static int distance(final String a, final String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            final int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
