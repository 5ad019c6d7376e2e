package io.npid.indexer.knn;

import java.util.Objects;

/**
 * Exact brute-force inner-product top-k over a {@link FlatIndex}, for one query or a batch, with no allocation
 * per row or per query once warm.
 *
 * <p>A batch is processed in chunks of up to {@value #QUERY_CHUNK} queries; for each chunk the index is walked in
 * blocks of about {@value #DEFAULT_BLOCK_ROWS} rows (half a megabyte at 128 dimensions, so a block stays in the
 * core's L2 cache) and every query of the chunk is scored against a block before moving on. Each row is therefore
 * read from memory once per chunk instead of once per query, which is where a batch gains over single queries.
 *
 * <p>Not thread-safe: it owns its heaps and kernel scratch space; use one per thread.
 */
public final class ExactSearcher {

    /** Rows per cache block. */
    public static final int DEFAULT_BLOCK_ROWS = 1024;
    /** The most queries scored in one pass over the index. */
    public static final int QUERY_CHUNK = 256;

    private final InnerProductKernel kernel;
    private final int maxK;
    private final int blockTiles;
    private final TopKHeap[] heaps = new TopKHeap[QUERY_CHUNK];

    /**
     * Creates a searcher with the best available kernel and the default block size.
     *
     * @param maxK the largest k it will be asked for, at least 1
     */
    public ExactSearcher(final int maxK) {
        this(maxK, KernelType.AUTO, DEFAULT_BLOCK_ROWS);
    }

    /**
     * Creates a searcher.
     *
     * @param maxK the largest k it will be asked for, at least 1
     * @param kernelType which kernel to run
     * @param blockRows rows per cache block, rounded up to whole tiles
     * @throws IllegalArgumentException if maxK or blockRows is below 1
     * @throws IllegalStateException if the vector kernel is asked for but not available
     */
    public ExactSearcher(final int maxK, final KernelType kernelType, final int blockRows) {
        if (maxK < 1) {
            throw new IllegalArgumentException("maxK must be at least 1, not " + maxK);
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be at least 1, not " + blockRows);
        }
        this.kernel = Kernels.create(Objects.requireNonNull(kernelType, "kernelType"));
        this.maxK = maxK;
        this.blockTiles = (blockRows + FlatIndex.TILE_ROWS - 1) / FlatIndex.TILE_ROWS;
        for (int i = 0; i < heaps.length; i++) {
            heaps[i] = new TopKHeap(maxK);
        }
    }

    /**
     * The kernel's name, for reports.
     *
     * @return e.g. {@code vector-512} or {@code scalar}
     */
    public String kernelName() {
        return kernel.name();
    }

    /**
     * Finds the k labelled rows with the highest inner product for each query.
     *
     * @param index the index to search
     * @param queries row-major queries, at least {@code queryCount * index.dimension()} values
     * @param queryCount number of queries, at least 0
     * @param k neighbours per query, 1..maxK
     * @param out receives the results (resized as needed)
     * @throws IllegalArgumentException if k is out of range or the query array is too short
     * @throws IllegalStateException if the index keeps no vectors
     */
    public void search(
            final FlatIndex index, final float[] queries, final int queryCount, final int k, final TopKResults out) {
        if (k < 1 || k > maxK) {
            throw new IllegalArgumentException("k must be between 1 and " + maxK + ", not " + k);
        }
        final int dim = index.dimension();
        if (queryCount < 0 || queries.length < (long) queryCount * dim) {
            throw new IllegalArgumentException(queryCount + " queries of " + dim + " values need "
                    + (long) queryCount * dim + " floats, got " + queries.length);
        }
        if (!index.storesVectors()) {
            throw new IllegalStateException("This index keeps no vectors (its HNSW graph does): nothing to scan");
        }
        out.reset(queryCount, k);
        final float[] data = index.data();
        final int[] classCodes = index.classCodes();
        final int tiles = (index.slotLimit() + FlatIndex.TILE_ROWS - 1) / FlatIndex.TILE_ROWS;
        for (int first = 0; first < queryCount; first += QUERY_CHUNK) {
            final int count = Math.min(QUERY_CHUNK, queryCount - first);
            for (int q = 0; q < count; q++) {
                heaps[q].reset(k);
            }
            for (int tile = 0; tile < tiles; tile += blockTiles) {
                kernel.scan(
                        data,
                        dim,
                        tile,
                        Math.min(tiles, tile + blockTiles),
                        queries,
                        first * dim,
                        count,
                        heaps,
                        classCodes);
            }
            for (int q = 0; q < count; q++) {
                final int written = heaps[q].drainDescending(out.slotArray(), out.similarityArray(), (first + q) * k);
                out.setCount(first + q, written);
            }
        }
    }
}
