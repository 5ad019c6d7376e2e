package io.npid.indexer.internals;

import io.npid.indexer.knn.Candidate;
import io.npid.indexer.knn.TopKMerger;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * The merge's state for one query: the global top-k so far and which partitions have answered; after the result
 * is written, a marker that drops late or repeated partials so that each query is answered once.
 *
 * @param query the query's metadata
 * @param partitionsTotal partitions that must answer
 * @param answered the partitions that have answered
 * @param labelledRows labelled rows over the partitions that answered
 * @param neighbours merged top-k so far, best first (empty once answered)
 * @param firstPartialMs wall-clock time the first partial arrived
 * @param answeredMs wall-clock time the result was written, -1 while pending
 */
public record PendingMerge(
        QueryMeta query,
        int partitionsTotal,
        BitSet answered,
        int labelledRows,
        List<Candidate> neighbours,
        long firstPartialMs,
        long answeredMs) {

    /**
     * Validates and copies the state.
     *
     * @throws NullPointerException if the query or answered set is null
     */
    public PendingMerge {
        Objects.requireNonNull(query, "query");
        answered = (BitSet) answered.clone();
        neighbours = List.copyOf(neighbours);
    }

    /**
     * The state after a query's first partial.
     *
     * @param partial the first partial
     * @param nowMs wall-clock time
     * @return the state
     */
    public static PendingMerge first(final KnnPartial partial, final long nowMs) {
        final BitSet answered = new BitSet(partial.partitionsTotal());
        answered.set(partial.partition());
        return new PendingMerge(
                partial.query(),
                partial.partitionsTotal(),
                answered,
                partial.labelledRows(),
                partial.neighbours(),
                nowMs,
                -1);
    }

    /**
     * Whether this partition's answer is already merged.
     *
     * @param partition a partition
     * @return true for a repeated partial
     */
    public boolean hasAnswerFrom(final int partition) {
        return answered.get(partition);
    }

    /**
     * The state with one more partial merged in.
     *
     * @param partial a partial from a partition that has not answered yet
     * @return the new state
     */
    public PendingMerge plus(final KnnPartial partial) {
        final BitSet now = (BitSet) answered.clone();
        now.set(partial.partition());
        return new PendingMerge(
                query,
                partitionsTotal,
                now,
                labelledRows + partial.labelledRows(),
                TopKMerger.merge(neighbours, partial.neighbours(), query.k()),
                firstPartialMs,
                answeredMs);
    }

    /**
     * Whether every partition has answered.
     *
     * @return true when complete
     */
    public boolean complete() {
        return answered.cardinality() >= partitionsTotal;
    }

    /**
     * Whether the result has been written.
     *
     * @return true for an answered marker
     */
    public boolean isAnswered() {
        return answeredMs >= 0;
    }

    /**
     * The marker kept after the result is written, without the neighbours.
     *
     * @param nowMs wall-clock time of the answer
     * @return the marker
     */
    public PendingMerge answeredAt(final long nowMs) {
        return new PendingMerge(query, partitionsTotal, answered, labelledRows, List.of(), firstPartialMs, nowMs);
    }

    /**
     * Partitions that have answered.
     *
     * @return the count
     */
    public int partitionsAnswered() {
        return answered.cardinality();
    }

    @Override
    public BitSet answered() {
        return (BitSet) answered.clone();
    }
}
