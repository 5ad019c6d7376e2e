package io.npid.indexer.internals;

import java.util.Objects;

/** A record a shard applies: a feature, a feature's removal, a label, or a query to score. */
public sealed interface ShardInput {

    /**
     * The latest vector of an image.
     *
     * @param id image id
     * @param vector unit vector
     * @param className the class name carried by the feature, or null to keep the known one
     * @param modelVersion model version that produced the vector
     */
    record Feature(String id, float[] vector, String className, long modelVersion) implements ShardInput {
        /**
         * Validates the feature.
         *
         * @throws NullPointerException if the id or vector is null
         */
        public Feature {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(vector, "vector");
        }
    }

    /**
     * A tombstone on the features topic: the image leaves the index.
     *
     * @param id image id
     */
    record Removal(String id) implements ShardInput {}

    /**
     * A label, or its removal.
     *
     * @param id image id
     * @param className the class name, or null (a labels tombstone) to stop the image voting
     */
    record Label(String id, String className) implements ShardInput {}

    /**
     * A query to score against this shard.
     *
     * @param meta the query's metadata (its k is the effective k)
     * @param vector unit query vector
     */
    record Query(QueryMeta meta, float[] vector) implements ShardInput {
        /**
         * Validates the query.
         *
         * @throws NullPointerException if the metadata or vector is null
         */
        public Query {
            Objects.requireNonNull(meta, "meta");
            Objects.requireNonNull(vector, "vector");
        }
    }
}
