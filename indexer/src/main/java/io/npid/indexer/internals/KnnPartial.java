package io.npid.indexer.internals;

import io.npid.indexer.knn.Candidate;
import java.util.List;
import java.util.Objects;

/**
 * One shard's answer to one query: its best labelled neighbours, sent keyed by query id to the merge.
 *
 * @param query the query's metadata
 * @param partition the shard (partition) that answered
 * @param partitionsTotal how many shards answer each query
 * @param labelledRows labelled rows the shard had when it searched
 * @param neighbours the shard's top-k, best first
 */
public record KnnPartial(
        QueryMeta query, int partition, int partitionsTotal, int labelledRows, List<Candidate> neighbours) {

    /**
     * Validates and copies the partial.
     *
     * @throws IllegalArgumentException if the partition is outside 0..partitionsTotal-1
     */
    public KnnPartial {
        Objects.requireNonNull(query, "query");
        if (partition < 0 || partition >= partitionsTotal) {
            throw new IllegalArgumentException("Partition " + partition + " is outside 0.." + (partitionsTotal - 1));
        }
        neighbours = List.copyOf(neighbours);
    }
}
