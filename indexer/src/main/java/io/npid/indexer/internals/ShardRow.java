package io.npid.indexer.internals;

/**
 * What a shard store keeps per image id: the latest vector (null while only a label is known), the class name
 * (null while no label is known) and the model version that produced the vector.
 *
 * @param vector the unit vector, or null when the label arrived before the feature
 * @param className the class name, or null
 * @param modelVersion model version of the vector, -1 when there is none
 */
public record ShardRow(float[] vector, String className, long modelVersion) {

    /**
     * A row with only a label.
     *
     * @param className the class name
     * @return the row
     */
    public static ShardRow labelOnly(final String className) {
        return new ShardRow(null, className, -1);
    }

    /**
     * The same row with another class.
     *
     * @param newClassName a class name, or null for none
     * @return a new row
     */
    public ShardRow withClassName(final String newClassName) {
        return new ShardRow(vector, newClassName, modelVersion);
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
        return className != null;
    }
}
