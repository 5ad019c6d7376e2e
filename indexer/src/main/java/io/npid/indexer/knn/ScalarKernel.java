package io.npid.indexer.knn;

/**
 * The inner-product kernel in plain Java loops, which C2 compiles to SIMD multiply-adds across the 32 slots of a
 * tile; used where the incubating Vector API is not available.
 */
final class ScalarKernel implements InnerProductKernel {

    private static final int TILE = FlatIndex.TILE_ROWS;

    private final float[] scores = new float[TILE];

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void scan(
            final float[] data,
            final int dim,
            final int firstTile,
            final int endTile,
            final float[] queries,
            final int queryOffset,
            final int queryCount,
            final TopKHeap[] heaps,
            final int[] classCodes) {
        final float[] acc = scores;
        for (int q = 0; q < queryCount; q++) {
            final int queryBase = queryOffset + q * dim;
            final TopKHeap heap = heaps[q];
            for (int t = firstTile; t < endTile; t++) {
                final int base = t * TILE * dim;
                for (int j = 0; j < TILE; j++) {
                    acc[j] = 0f;
                }
                for (int d = 0; d < dim; d++) {
                    final float c = queries[queryBase + d];
                    final int offset = base + d * TILE;
                    // No dependency between the j iterations: the JIT packs this loop into vector FMAs. Math.fma
                    // rounds once, as the Vector API kernel does, so both kernels give the same bits.
                    for (int j = 0; j < TILE; j++) {
                        acc[j] = Math.fma(c, data[offset + j], acc[j]);
                    }
                }
                final int row = t * TILE;
                float threshold = heap.threshold();
                for (int j = 0; j < TILE; j++) {
                    if (acc[j] > threshold && classCodes[row + j] >= 0) {
                        heap.offer(acc[j], row + j);
                        threshold = heap.threshold();
                    }
                }
            }
        }
    }

    @Override
    public float dot(final float[] a, final float[] b) {
        // Four independent sums: C2 does not reorder a float reduction, so one sum would be one long chain.
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int d = 0;
        for (; d + 4 <= a.length; d += 4) {
            s0 = Math.fma(a[d], b[d], s0);
            s1 = Math.fma(a[d + 1], b[d + 1], s1);
            s2 = Math.fma(a[d + 2], b[d + 2], s2);
            s3 = Math.fma(a[d + 3], b[d + 3], s3);
        }
        for (; d < a.length; d++) {
            s0 = Math.fma(a[d], b[d], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void scanInt8(
            final byte[] codes,
            final float[] scales,
            final int dim,
            final int tiles,
            final float[] query,
            final int queryOffset,
            final TopKHeap heap,
            final int[] classCodes) {
        final float[] acc = scores;
        for (int t = 0; t < tiles; t++) {
            final int base = t * TILE * dim;
            for (int j = 0; j < TILE; j++) {
                acc[j] = 0f;
            }
            for (int d = 0; d < dim; d++) {
                final float c = query[queryOffset + d];
                final int offset = base + d * TILE;
                for (int j = 0; j < TILE; j++) {
                    acc[j] = Math.fma(c, codes[offset + j], acc[j]);
                }
            }
            final int row = t * TILE;
            float threshold = heap.threshold();
            for (int j = 0; j < TILE; j++) {
                final float score = acc[j] * scales[row + j];
                if (score > threshold && classCodes[row + j] >= 0) {
                    heap.offer(score, row + j);
                    threshold = heap.threshold();
                }
            }
        }
    }
}
