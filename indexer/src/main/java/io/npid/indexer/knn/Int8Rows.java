package io.npid.indexer.knn;

import java.util.Arrays;

/**
 * The int8 codes of a {@link FlatIndex}'s rows, in the same slots and the same tiled layout, with one scale per
 * row: value {@code d} of a row is about {@code code[d] * scale}, where {@code scale = max|value| / 127}. A scan
 * reads a quarter of the float scan's bytes; its scores only choose candidates, which are then re-ranked with the
 * float rows, so quantisation error shows only as a missed neighbour, never as a wrong similarity.
 *
 * <p>Per row rather than per dimension because the rows are unit vectors whose value range varies by row more
 * than by dimension, and a per-row scale needs no training pass over the data.
 */
final class Int8Rows {

    private static final int TILE = FlatIndex.TILE_ROWS;
    private static final float LEVELS = 127f;

    private final int dimension;
    private byte[] codes = new byte[0];
    private float[] scales = new float[0];

    Int8Rows(final int dimension) {
        this.dimension = dimension;
    }

    /** Quantises a row into its slot, growing to the index's capacity first. */
    void set(final int slot, final float[] vector, final int capacity) {
        ensureCapacity(capacity);
        float max = 0f;
        for (final float v : vector) {
            max = Math.max(max, Math.abs(v));
        }
        final float scale = max == 0f ? 0f : max / LEVELS;
        final float inverse = max == 0f ? 0f : LEVELS / max;
        final int base = (slot / TILE) * TILE * dimension;
        final int lane = slot % TILE;
        for (int d = 0; d < dimension; d++) {
            codes[base + d * TILE + lane] = (byte) Math.round(vector[d] * inverse);
        }
        scales[slot] = scale;
    }

    /** Zeroes a freed slot (a zero scale gives it a zero score; the class code keeps it out anyway). */
    void clear(final int slot) {
        if (slot < scales.length) {
            scales[slot] = 0f;
        }
    }

    /** Drops every code. */
    void clearAll() {
        Arrays.fill(codes, (byte) 0);
        Arrays.fill(scales, 0f);
    }

    /** Heap bytes of the codes and scales. */
    long bytes() {
        return codes.length + 4L * scales.length;
    }

    /**
     * Scores one query against every tile below {@code slotLimit} with a kernel, offering labelled slots to the
     * heap.
     */
    void scan(
            final InnerProductKernel kernel,
            final float[] query,
            final int queryOffset,
            final int slotLimit,
            final int[] classCodes,
            final TopKHeap heap) {
        kernel.scanInt8(codes, scales, dimension, (slotLimit + TILE - 1) / TILE, query, queryOffset, heap, classCodes);
    }

    private void ensureCapacity(final int capacity) {
        if (scales.length < capacity) {
            codes = Arrays.copyOf(codes, capacity * dimension);
            scales = Arrays.copyOf(scales, capacity);
        }
    }
}
