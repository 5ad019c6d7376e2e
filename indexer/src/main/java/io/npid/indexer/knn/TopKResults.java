package io.npid.indexer.knn;

/**
 * The top-k slots and similarities of a batch of queries, best first, in arrays reused from batch to batch.
 *
 * <p>Query {@code q}'s i-th neighbour is at index {@code q * k + i}; {@link #count(int)} can be below k when the
 * index has fewer labelled rows.
 */
public final class TopKResults {

    private int[] slots = new int[0];
    private float[] similarities = new float[0];
    private int[] counts = new int[0];
    private int k;
    private int queries;

    /**
     * Sizes the arrays for a batch, growing them only when needed.
     *
     * @param queryCount queries in the batch
     * @param newK neighbours per query
     */
    void reset(final int queryCount, final int newK) {
        final int cells = Math.multiplyExact(queryCount, newK);
        if (slots.length < cells) {
            slots = new int[cells];
            similarities = new float[cells];
        }
        if (counts.length < queryCount) {
            counts = new int[queryCount];
        }
        k = newK;
        queries = queryCount;
    }

    int[] slotArray() {
        return slots;
    }

    float[] similarityArray() {
        return similarities;
    }

    void setCount(final int query, final int count) {
        counts[query] = count;
    }

    /**
     * Queries in the last batch.
     *
     * @return the query count
     */
    public int queryCount() {
        return queries;
    }

    /**
     * Neighbours asked for per query in the last batch.
     *
     * @return k
     */
    public int k() {
        return k;
    }

    /**
     * Neighbours found for a query.
     *
     * @param query index in the batch
     * @return at most k
     */
    public int count(final int query) {
        return counts[query];
    }

    /**
     * The slot of a query's i-th best neighbour.
     *
     * @param query index in the batch
     * @param rank 0 for the most similar
     * @return the slot in the index
     */
    public int slot(final int query, final int rank) {
        return slots[query * k + rank];
    }

    /**
     * The similarity of a query's i-th best neighbour.
     *
     * @param query index in the batch
     * @param rank 0 for the most similar
     * @return the inner product
     */
    public float similarity(final int query, final int rank) {
        return similarities[query * k + rank];
    }
}
