package io.npid.indexer.knn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges the partial top-k lists of several shards into the global top-k.
 *
 * <p>Exact: every shard returns its own best k labelled rows, so the global best k are among their union.
 */
public final class TopKMerger {

    private TopKMerger() {}

    /**
     * Merges two lists that are each best first ({@link Candidate#BEST_FIRST}) into the best k, best first.
     *
     * <p>An id present in both (a record delivered twice) is kept once, with its better entry.
     *
     * @param first a best-first list
     * @param second a best-first list
     * @param k how many to keep, at least 0
     * @return a new best-first list of at most k candidates
     */
    public static List<Candidate> merge(final List<Candidate> first, final List<Candidate> second, final int k) {
        final List<Candidate> merged = new ArrayList<>(Math.min(k, first.size() + second.size()));
        final Set<String> seen = new HashSet<>();
        int i = 0;
        int j = 0;
        while (merged.size() < k && (i < first.size() || j < second.size())) {
            final Candidate next;
            if (j >= second.size()
                    || (i < first.size() && Candidate.BEST_FIRST.compare(first.get(i), second.get(j)) <= 0)) {
                next = first.get(i++);
            } else {
                next = second.get(j++);
            }
            if (seen.add(next.id())) {
                merged.add(next);
            }
        }
        return merged;
    }

    /**
     * Merges any number of best-first lists into the best k.
     *
     * @param partials best-first lists
     * @param k how many to keep
     * @return a new best-first list of at most k candidates
     */
    public static List<Candidate> mergeAll(final List<List<Candidate>> partials, final int k) {
        List<Candidate> merged = List.of();
        for (final List<Candidate> partial : partials) {
            merged = merge(merged, partial, k);
        }
        return merged;
    }
}
