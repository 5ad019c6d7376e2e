package io.npid.trainer.stream;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The learner's share of a trainer configuration: every {@code npid.*} key that the trainer process does not
 * declare itself, handed to the core's TrainerConfig.
 */
public final class LearnerSettings {
    private final Map<String, String> settings;

    private LearnerSettings(final Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /**
     * Picks the learner's keys out of a process configuration.
     *
     * @param originals the whole configuration map
     * @param processKeys keys the process declares itself
     * @return the learner's settings
     */
    static LearnerSettings from(final Map<String, ?> originals, final Set<String> processKeys) {
        final Map<String, String> settings = new TreeMap<>();
        originals.forEach((key, value) -> {
            if (key.startsWith("npid.") && !processKeys.contains(key) && value != null) {
                settings.put(key, String.valueOf(value));
            }
        });
        return new LearnerSettings(settings);
    }

    /**
     * Returns the settings as strings.
     *
     * @return an immutable map of the learner's keys
     */
    public Map<String, String> asMap() {
        return settings;
    }

    @Override
    public String toString() {
        return new TreeMap<>(settings).toString();
    }
}
