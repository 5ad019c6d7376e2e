package io.npid.indexer.knn;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner-product kernel on the JDK's incubating Vector API with 512-bit vectors: four queries times one tile
 * (two vectors of 16 slots) accumulate in eight registers, so each tile value loaded feeds four multiply-adds and
 * no partial score is stored until the tile is done.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is resolved ({@code --add-modules
 * jdk.incubator.vector}) and the CPU has 512-bit vectors; see {@link ExactSearcher}.
 */
final class VectorKernel implements InnerProductKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_512;
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_256;
    private static final int LANES = 16;
    private static final int TILE = FlatIndex.TILE_ROWS;

    private final float[] scores = new float[TILE];

    /**
     * Whether this CPU runs the kernel's 512-bit vectors natively.
     *
     * @return true if the preferred species is at least 512 bits
     */
    static boolean supported() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= SPECIES.vectorBitSize() && TILE == 2 * LANES;
    }

    @Override
    public String name() {
        return "vector-512";
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
        int q = 0;
        for (; q + 4 <= queryCount; q += 4) {
            scanFour(data, dim, firstTile, endTile, queries, queryOffset + q * dim, q, heaps, classCodes);
        }
        for (; q < queryCount; q++) {
            scanOne(data, dim, firstTile, endTile, queries, queryOffset + q * dim, heaps[q], classCodes);
        }
    }

    private void scanFour(
            final float[] data,
            final int dim,
            final int firstTile,
            final int endTile,
            final float[] queries,
            final int q0,
            final int q,
            final TopKHeap[] heaps,
            final int[] classCodes) {
        final int q1 = q0 + dim;
        final int q2 = q1 + dim;
        final int q3 = q2 + dim;
        for (int t = firstTile; t < endTile; t++) {
            final int base = t * TILE * dim;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            FloatVector a2 = a0;
            FloatVector b2 = a0;
            FloatVector a3 = a0;
            FloatVector b3 = a0;
            for (int d = 0; d < dim; d++) {
                final int offset = base + d * TILE;
                final FloatVector x = FloatVector.fromArray(SPECIES, data, offset);
                final FloatVector y = FloatVector.fromArray(SPECIES, data, offset + LANES);
                final FloatVector c0 = FloatVector.broadcast(SPECIES, queries[q0 + d]);
                a0 = x.fma(c0, a0);
                b0 = y.fma(c0, b0);
                final FloatVector c1 = FloatVector.broadcast(SPECIES, queries[q1 + d]);
                a1 = x.fma(c1, a1);
                b1 = y.fma(c1, b1);
                final FloatVector c2 = FloatVector.broadcast(SPECIES, queries[q2 + d]);
                a2 = x.fma(c2, a2);
                b2 = y.fma(c2, b2);
                final FloatVector c3 = FloatVector.broadcast(SPECIES, queries[q3 + d]);
                a3 = x.fma(c3, a3);
                b3 = y.fma(c3, b3);
            }
            // The comparisons stay inline (no helper taking vectors) so that C2 keeps the vectors in registers.
            final int row = t * TILE;
            if (a0.max(b0).compare(VectorOperators.GT, heaps[q].threshold()).anyTrue()) {
                a0.intoArray(scores, 0);
                b0.intoArray(scores, LANES);
                offerTile(heaps[q], row, classCodes);
            }
            if (a1.max(b1).compare(VectorOperators.GT, heaps[q + 1].threshold()).anyTrue()) {
                a1.intoArray(scores, 0);
                b1.intoArray(scores, LANES);
                offerTile(heaps[q + 1], row, classCodes);
            }
            if (a2.max(b2).compare(VectorOperators.GT, heaps[q + 2].threshold()).anyTrue()) {
                a2.intoArray(scores, 0);
                b2.intoArray(scores, LANES);
                offerTile(heaps[q + 2], row, classCodes);
            }
            if (a3.max(b3).compare(VectorOperators.GT, heaps[q + 3].threshold()).anyTrue()) {
                a3.intoArray(scores, 0);
                b3.intoArray(scores, LANES);
                offerTile(heaps[q + 3], row, classCodes);
            }
        }
    }

    private void scanOne(
            final float[] data,
            final int dim,
            final int firstTile,
            final int endTile,
            final float[] queries,
            final int q0,
            final TopKHeap heap,
            final int[] classCodes) {
        int t = firstTile;
        // Four tiles at a time: eight independent multiply-add chains instead of two, so one query is limited by
        // memory rather than by the latency of a chain (measured: about twice the single-query rate).
        for (; t + 4 <= endTile; t += 4) {
            final int base0 = t * TILE * dim;
            final int base1 = base0 + TILE * dim;
            final int base2 = base1 + TILE * dim;
            final int base3 = base2 + TILE * dim;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            FloatVector a2 = a0;
            FloatVector b2 = a0;
            FloatVector a3 = a0;
            FloatVector b3 = a0;
            // Per row the same multiply-add order as scanFour, so a query scores the same alone or in a batch.
            for (int d = 0; d < dim; d++) {
                final int offset = d * TILE;
                final FloatVector c = FloatVector.broadcast(SPECIES, queries[q0 + d]);
                a0 = FloatVector.fromArray(SPECIES, data, base0 + offset).fma(c, a0);
                b0 = FloatVector.fromArray(SPECIES, data, base0 + offset + LANES)
                        .fma(c, b0);
                a1 = FloatVector.fromArray(SPECIES, data, base1 + offset).fma(c, a1);
                b1 = FloatVector.fromArray(SPECIES, data, base1 + offset + LANES)
                        .fma(c, b1);
                a2 = FloatVector.fromArray(SPECIES, data, base2 + offset).fma(c, a2);
                b2 = FloatVector.fromArray(SPECIES, data, base2 + offset + LANES)
                        .fma(c, b2);
                a3 = FloatVector.fromArray(SPECIES, data, base3 + offset).fma(c, a3);
                b3 = FloatVector.fromArray(SPECIES, data, base3 + offset + LANES)
                        .fma(c, b3);
            }
            final int row = t * TILE;
            if (a0.max(b0).compare(VectorOperators.GT, heap.threshold()).anyTrue()) {
                a0.intoArray(scores, 0);
                b0.intoArray(scores, LANES);
                offerTile(heap, row, classCodes);
            }
            if (a1.max(b1).compare(VectorOperators.GT, heap.threshold()).anyTrue()) {
                a1.intoArray(scores, 0);
                b1.intoArray(scores, LANES);
                offerTile(heap, row + TILE, classCodes);
            }
            if (a2.max(b2).compare(VectorOperators.GT, heap.threshold()).anyTrue()) {
                a2.intoArray(scores, 0);
                b2.intoArray(scores, LANES);
                offerTile(heap, row + 2 * TILE, classCodes);
            }
            if (a3.max(b3).compare(VectorOperators.GT, heap.threshold()).anyTrue()) {
                a3.intoArray(scores, 0);
                b3.intoArray(scores, LANES);
                offerTile(heap, row + 3 * TILE, classCodes);
            }
        }
        for (; t < endTile; t++) {
            final int base = t * TILE * dim;
            FloatVector a = FloatVector.zero(SPECIES);
            FloatVector b = a;
            for (int d = 0; d < dim; d++) {
                final int offset = base + d * TILE;
                final FloatVector c = FloatVector.broadcast(SPECIES, queries[q0 + d]);
                a = FloatVector.fromArray(SPECIES, data, offset).fma(c, a);
                b = FloatVector.fromArray(SPECIES, data, offset + LANES).fma(c, b);
            }
            if (a.max(b).compare(VectorOperators.GT, heap.threshold()).anyTrue()) {
                a.intoArray(scores, 0);
                b.intoArray(scores, LANES);
                offerTile(heap, t * TILE, classCodes);
            }
        }
    }

    private void offerTile(final TopKHeap heap, final int row, final int[] classCodes) {
        float threshold = heap.threshold();
        for (int j = 0; j < TILE; j++) {
            if (scores[j] > threshold && classCodes[row + j] >= 0) {
                heap.offer(scores[j], row + j);
                threshold = heap.threshold();
            }
        }
    }

    @Override
    public float dot(final float[] a, final float[] b) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int d = 0;
        for (; d + LANES <= a.length; d += LANES) {
            sum = FloatVector.fromArray(SPECIES, a, d).fma(FloatVector.fromArray(SPECIES, b, d), sum);
        }
        float s = sum.reduceLanes(VectorOperators.ADD);
        for (; d < a.length; d++) {
            s = Math.fma(a[d], b[d], s);
        }
        return s;
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
        for (int t = 0; t < tiles; t++) {
            final int base = t * TILE * dim;
            FloatVector a = FloatVector.zero(SPECIES);
            FloatVector b = a;
            for (int d = 0; d < dim; d++) {
                final ByteVector x = ByteVector.fromArray(BYTES, codes, base + d * TILE);
                final FloatVector c = FloatVector.broadcast(SPECIES, query[queryOffset + d]);
                a = ((FloatVector) x.convertShape(VectorOperators.B2F, SPECIES, 0)).fma(c, a);
                b = ((FloatVector) x.convertShape(VectorOperators.B2F, SPECIES, 1)).fma(c, b);
            }
            final int row = t * TILE;
            a = a.mul(FloatVector.fromArray(SPECIES, scales, row));
            b = b.mul(FloatVector.fromArray(SPECIES, scales, row + LANES));
            if (a.max(b).compare(VectorOperators.GT, heap.threshold()).anyTrue()) {
                a.intoArray(scores, 0);
                b.intoArray(scores, LANES);
                offerTile(heap, row, classCodes);
            }
        }
    }
}
