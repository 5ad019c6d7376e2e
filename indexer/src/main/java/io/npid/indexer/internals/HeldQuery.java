package io.npid.indexer.internals;

import java.util.Objects;

/**
 * A query a shard holds for its next batch, as kept in the shard's changelogged held-queries store: so a query
 * whose input offset is committed before its batch is scored is not lost when the task moves or the process dies.
 *
 * @param query the query
 * @param timestampMs the query record's timestamp, carried to the partial
 */
public record HeldQuery(ShardInput.Query query, long timestampMs) {

    /**
     * Validates the held query.
     *
     * @throws NullPointerException if the query is null
     */
    public HeldQuery {
        Objects.requireNonNull(query, "query");
    }
}
