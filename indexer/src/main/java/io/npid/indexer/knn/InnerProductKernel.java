package io.npid.indexer.knn;

/**
 * One way of computing inner products between queries and the tiles of a {@link FlatIndex} and offering the
 * labelled rows that beat each query's threshold to that query's heap.
 *
 * <p>An instance keeps scratch space, so each searcher (each thread) has its own.
 */
interface InnerProductKernel {

    /**
     * A short name for logs and benchmark reports.
     *
     * @return the name, e.g. {@code vector-512}
     */
    String name();

    /**
     * Scans tiles {@code [firstTile, endTile)} for queries {@code [0, queryCount)}.
     *
     * @param data the tiled values of the index
     * @param dim values per vector
     * @param firstTile first tile to scan
     * @param endTile one past the last tile to scan
     * @param queries row-major queries
     * @param queryOffset index in {@code queries} of the first value of the first query to score
     * @param queryCount number of queries
     * @param heaps one heap per query
     * @param classCodes the class code of every slot; unlabelled and free slots ({@link FlatIndex#NO_CLASS}) are
     *     never offered
     */
    void scan(
            float[] data,
            int dim,
            int firstTile,
            int endTile,
            float[] queries,
            int queryOffset,
            int queryCount,
            TopKHeap[] heaps,
            int[] classCodes);

    /**
     * The inner product of two row-major vectors, for graph search (its rounding may differ from {@link #scan}'s;
     * results are re-ranked with the exact kernels' arithmetic).
     *
     * @param a first vector
     * @param b second vector, as long as {@code a}
     * @return the inner product
     */
    float dot(float[] a, float[] b);

    /**
     * Scores one query against the int8 codes of every tile below {@code tiles} (same tiled layout as the floats,
     * one scale per row) and offers the labelled rows to the heap; the scores only choose candidates.
     *
     * @param codes tiled int8 codes
     * @param scales one scale per slot
     * @param dim values per vector
     * @param tiles tiles to scan
     * @param query the query's values start at {@code queryOffset}
     * @param queryOffset first value of the query
     * @param heap receives candidates
     * @param classCodes class code per slot, negative for rows that do not vote
     */
    void scanInt8(
            byte[] codes,
            float[] scales,
            int dim,
            int tiles,
            float[] query,
            int queryOffset,
            TopKHeap heap,
            int[] classCodes);
}
