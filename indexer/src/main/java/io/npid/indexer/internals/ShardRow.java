package io.npid.indexer.internals;

import io.npid.indexer.knn.FlatIndex;

/**
 * What a shard store keeps per image id: the latest vector (null while only a label is known), the label
 * ({@link FlatIndex#NO_LABEL} while unknown) and the model version that produced the vector.
 *
 * @param vector the unit vector, or null when the label arrived before the feature
 * @param label class index, or {@link FlatIndex#NO_LABEL}
 * @param modelVersion model version of the vector, -1 when there is none
 */
public record ShardRow(float[] vector, int label, long modelVersion) {

    /**
     * A row with only a label.
     *
     * @param label class index
     * @return the row
     */
    public static ShardRow labelOnly(final int label) {
        return new ShardRow(null, label, -1);
    }

    /**
     * The same row with another label.
     *
     * @param newLabel class index or {@link FlatIndex#NO_LABEL}
     * @return a new row
     */
    public ShardRow withLabel(final int newLabel) {
        return new ShardRow(vector, newLabel, modelVersion);
    }

    /**
     * Whether the row has a vector and so belongs in the index.
     *
     * @return true if the feature has arrived
     */
    public boolean hasVector() {
        return vector != null;
    }

    /**
     * Whether the row can vote.
     *
     * @return true if it has a label
     */
    public boolean hasLabel() {
        return label != FlatIndex.NO_LABEL;
    }
}
