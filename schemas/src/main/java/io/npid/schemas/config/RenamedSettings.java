package io.npid.schemas.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigException;

/**
 * Old setting names and the one name each concept has now: the old names are still accepted in this release, with
 * a warning, and every process config reads them through {@link #apply}.
 */
public final class RenamedSettings {
    /** Old name to new name. */
    public static final Map<String, String> RENAMED = Map.of(
            "npid.indexer.dimension", "npid.low.dim",
            "store.dimension", "npid.low.dim",
            "npid.indexer.k", "npid.knn.k",
            "npid.embedder.default.k", "npid.knn.k",
            "npid.indexer.k.max", "npid.knn.k.max",
            "npid.indexer.temperature", "npid.knn.temperature");

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private RenamedSettings() {}

    /**
     * Returns a copy of the settings with every old name replaced by its new one; warns once per JVM and old name.
     *
     * @param settings settings as given
     * @param warn receives one line per old name used
     * @return the settings under their current names
     * @throws ConfigException when an old and its new name are both given with different values
     */
    public static Map<String, Object> apply(final Map<String, ?> settings, final Consumer<String> warn) {
        final Map<String, Object> out = new LinkedHashMap<>(settings);
        RENAMED.forEach((old, now) -> {
            if (!settings.containsKey(old)) {
                return;
            }
            final Object value = out.remove(old);
            final Object current = settings.get(now);
            if (current != null
                    && !Objects.equals(
                            String.valueOf(current).strip(),
                            String.valueOf(value).strip())) {
                throw new ConfigException(
                        old,
                        SecretMasker.shown(old, value),
                        "this setting is now " + now + ", which is also given (" + current + "); remove " + old);
            }
            out.put(now, current != null ? current : value);
            if (WARNED.add(old)) {
                warn.accept(old + " is now called " + now + "; the old name is accepted in this release only");
            }
        });
        return out;
    }

    /**
     * Says whether a key is an old name of a key that a receiver declares.
     *
     * @param key a key
     * @param known the receiver's keys
     * @return true when the key was renamed to one of them
     */
    public static boolean isOldNameOf(final String key, final Collection<String> known) {
        final String now = RENAMED.get(key);
        return now != null && known.contains(now);
    }
}
