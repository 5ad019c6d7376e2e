package io.npid.schemas.config;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings two processes must agree on, and the check a later process makes against what an earlier one
 * published: the indexer against the trainer's latest checkpoint ({@code ModelCheckpoint.config} and
 * {@code settings}), so that a model trained with {@code npid.low.dim=64} stops an indexer started with 128 at once,
 * naming both values, instead of every feature going to dead-letters as wrong-dimension.
 */
public final class SharedSettings {

    /** {@code npid.low.dim}: the trainer writes features of this many floats; the indexer indexes that many. */
    public static final String DIMENSION = "npid.low.dim";

    /** Every key that a publishing process and its readers must set alike. */
    public static final Set<String> KEYS = Set.of(DIMENSION);

    private SharedSettings() {}

    /**
     * Fails on the first shared key (in sorted order) that both sides set to different values.
     *
     * @param published what the earlier process published, e.g. a checkpoint's config and settings; a key it does
     *     not carry (a checkpoint from an older trainer) is not checked
     * @param publisher who published it, for the message, e.g. {@code the trainer's checkpoint (model npid v7)}
     * @param mine the effective value of each shared key in this process
     * @param process this process's name, for the message, e.g. {@code indexer}
     * @throws ConfigException naming the key, both values and the value to set
     */
    public static void requireAgreement(
            final Map<String, ?> published, final String publisher, final Map<String, ?> mine, final String process) {
        for (final String key : new TreeSet<>(KEYS)) {
            final Object theirs = published.get(key);
            final Object ours = mine.get(key);
            if (theirs != null && ours != null && !Objects.equals(String.valueOf(theirs), String.valueOf(ours))) {
                throw new ConfigException(
                        key,
                        ours,
                        "differs from " + publisher + ", which has " + key + "="
                                + theirs + "; start the " + process + " with --set " + key + "=" + theirs
                                + " (or retrain with " + key + "=" + ours + ")");
            }
        }
    }
}
