package io.npid.indexer.knn;

/**
 * Top-k search over a {@link ShardIndex} in whichever form it is: exact batches go to {@link ExactSearcher}; int8
 * and HNSW search query by query, each collecting candidates and ranking them by their exact float similarity, so
 * every form's results are the same kind (slots, exact similarities, descending, ties by slot) and the vote over
 * them is unchanged.
 *
 * <p>Not thread-safe: it owns its heaps and scratch space; use one per thread.
 */
public final class ShardSearcher {

    private final ExactSearcher exact;
    private final int maxK;
    private final TopKHeap best;
    private TopKHeap candidates;
    private int candidateCapacity;
    private final InnerProductKernel int8Kernel;
    private float[] query = new float[0];
    private int[] scratchSlots = new int[0];
    private float[] scratchScores = new float[0];

    /**
     * Creates a searcher.
     *
     * @param maxK the largest k it will be asked for, at least 1
     * @param kernelType the exact kernel
     */
    public ShardSearcher(final int maxK, final KernelType kernelType) {
        this.exact = new ExactSearcher(maxK, kernelType, ExactSearcher.DEFAULT_BLOCK_ROWS);
        this.int8Kernel = Kernels.create(kernelType);
        this.maxK = maxK;
        this.best = new TopKHeap(maxK);
        this.candidates = new TopKHeap(maxK);
        this.candidateCapacity = maxK;
    }

    /**
     * The exact kernel's name, for reports.
     *
     * @return e.g. {@code vector-512}
     */
    public String kernelName() {
        return exact.kernelName();
    }

    /**
     * Finds the k labelled rows with the highest inner product for each query, in the index's active form.
     *
     * @param index the index
     * @param queries row-major queries
     * @param queryCount number of queries
     * @param k neighbours per query, 1..maxK
     * @param out receives the results
     * @throws IllegalArgumentException if k is out of range or the query array too short
     */
    public void search(
            final ShardIndex index, final float[] queries, final int queryCount, final int k, final TopKResults out) {
        final IndexForm form = index.activeForm();
        if (form == IndexForm.EXACT) {
            exact.search(index.rows(), queries, queryCount, k, out);
            return;
        }
        if (k < 1 || k > maxK) {
            throw new IllegalArgumentException("k must be between 1 and " + maxK + ", not " + k);
        }
        final FlatIndex rows = index.rows();
        final int dim = rows.dimension();
        if (queryCount < 0 || queries.length < (long) queryCount * dim) {
            throw new IllegalArgumentException(queryCount + " queries of " + dim + " values need "
                    + (long) queryCount * dim + " floats, got " + queries.length);
        }
        if (query.length != dim) {
            query = new float[dim];
        }
        out.reset(queryCount, k);
        final int[] classCodes = rows.classCodes();
        for (int q = 0; q < queryCount; q++) {
            best.reset(k);
            if (form == IndexForm.INT8) {
                searchInt8(index, queries, q * dim, k, classCodes);
            } else {
                System.arraycopy(queries, q * dim, query, 0, dim);
                index.hnsw().search(query, Math.max(k, index.efSearch()), classCodes, best);
            }
            out.setCount(q, best.drainDescending(out.slotArray(), out.similarityArray(), q * k));
        }
    }

    private void searchInt8(
            final ShardIndex index, final float[] queries, final int offset, final int k, final int[] classCodes) {
        final FlatIndex rows = index.rows();
        final int width = (int) Math.min((long) k * index.settings().int8Rerank(), Integer.MAX_VALUE - 16);
        if (candidateCapacity < width) {
            candidates = new TopKHeap(width);
            candidateCapacity = width;
        }
        candidates.reset(width);
        index.int8().scan(int8Kernel, queries, offset, rows.slotLimit(), classCodes, candidates);
        final int count = candidates.size();
        if (scratchSlots.length < count) {
            scratchSlots = new int[count];
            scratchScores = new float[count];
        }
        candidates.drainDescending(scratchSlots, scratchScores, 0);
        // The float vectors are not on the heap: one read of the source (the shard's store) per candidate.
        final RowVectors source = index.vectors();
        final int dim = rows.dimension();
        for (int c = 0; c < count; c++) {
            final int slot = scratchSlots[c];
            final String id = rows.idAt(slot);
            final float[] vector = source.vectorOf(id);
            if (vector == null || vector.length != dim) {
                throw new IllegalStateException("The int8 index holds " + id + " but its vector source has "
                        + (vector == null ? "no vector" : vector.length + " values") + " for it");
            }
            // The same fused multiply-adds in the same order as the exact kernels: the same bits.
            float similarity = 0f;
            for (int d = 0; d < dim; d++) {
                similarity = Math.fma(queries[offset + d], vector[d], similarity);
            }
            if (similarity > best.threshold()) {
                best.offer(similarity, slot);
            }
        }
    }
}
