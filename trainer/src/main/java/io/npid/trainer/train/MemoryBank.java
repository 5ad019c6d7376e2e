package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.npid.trainer.data.SplitMix64;

/**
 * The memory bank V: one row per image, held on the training device in an (capacity, dim) array that doubles when
 * full, so the bank grows without a restart.
 *
 * <p>Every method that returns an array takes the caller's manager: an op's result belongs to its first operand's
 * manager, so a plain {@code storage.get(idx)} would leave one array per step on the bank's long-lived manager.
 * Only the learner's thread may use it.
 */
public final class MemoryBank implements AutoCloseable {
    private final NDManager manager;
    private final int dim;
    private NDArray storage;
    private int size;

    /**
     * Creates an empty bank.
     *
     * @param parent the long-lived manager (a sub-manager is made for the storage)
     * @param dim row dimension
     * @param initialCapacity rows allocated up front (at least 1)
     */
    public MemoryBank(final NDManager parent, final int dim, final int initialCapacity) {
        this.manager = parent.newSubManager();
        this.dim = dim;
        this.storage = manager.zeros(new Shape(Math.max(1, initialCapacity), dim));
    }

    /**
     * Returns the number of rows.
     *
     * @return N
     */
    public int size() {
        return size;
    }

    /**
     * Returns the row dimension.
     *
     * @return dim
     */
    public int dim() {
        return dim;
    }

    /**
     * Appends rows at the end (rows N .. N + count - 1).
     *
     * @param rows count * dim floats, row-major
     */
    public void append(final float[] rows) {
        if (rows.length % dim != 0) {
            throw new IllegalArgumentException(rows.length + " floats is not a whole number of " + dim + "-d rows");
        }
        final int count = rows.length / dim;
        ensureCapacity(size + count);
        try (NDManager scratch = manager.newSubManager()) {
            storage.set(new NDIndex(size + ":" + (size + count)), scratch.create(rows, new Shape(count, dim)));
        }
        size += count;
    }

    /**
     * Replaces every row (for restoring a bank loaded from the feature store).
     *
     * @param rows N * dim floats
     */
    public void reset(final float[] rows) {
        size = 0;
        append(rows);
    }

    /**
     * Overwrites the consecutive rows first .. first + count - 1 (for a refresh with recomputed features).
     *
     * @param first the first row to overwrite
     * @param rows count * dim floats, row-major; every row must already be in the bank
     */
    public void replace(final int first, final float[] rows) {
        if (rows.length % dim != 0) {
            throw new IllegalArgumentException(rows.length + " floats is not a whole number of " + dim + "-d rows");
        }
        final int count = rows.length / dim;
        if (first < 0 || first + count > size) {
            throw new IllegalArgumentException("Rows " + first + ".." + (first + count - 1) + " are not all in the "
                    + "bank of " + size + " rows");
        }
        if (count == 0) {
            return;
        }
        try (NDManager scratch = manager.newSubManager()) {
            storage.set(new NDIndex(first + ":" + (first + count)), scratch.create(rows, new Shape(count, dim)));
        }
    }

    private void ensureCapacity(final int needed) {
        final long capacity = storage.getShape().get(0);
        if (needed <= capacity) {
            return;
        }
        long newCapacity = capacity;
        while (newCapacity < needed) {
            newCapacity *= 2;
        }
        final NDArray grown = manager.zeros(new Shape(newCapacity, dim));
        if (size > 0) {
            try (NDManager scratch = manager.newSubManager()) {
                grown.set(new NDIndex("0:" + size), storage.get(scratch, new NDIndex("0:" + size)));
            }
        }
        storage.close();
        storage = grown;
    }

    /**
     * Returns the first N rows as a view owned by {@code on}.
     *
     * @param on the caller's (step) manager
     * @return an (N, dim) view; writes through it change the bank
     */
    public NDArray view(final NDManager on) {
        return storage.get(on, new NDIndex("0:" + size));
    }

    /**
     * Gathers rows.
     *
     * @param on the caller's (step) manager
     * @param rows int64 row indices
     * @return (len, dim) copy owned by {@code on}
     */
    public NDArray rows(final NDManager on, final NDArray rows) {
        return storage.get(on, new NDIndex("{}", rows));
    }

    /**
     * Overwrites rows.
     *
     * @param rows int64 row indices (each below N)
     * @param values (len, dim) new values
     */
    public void setRows(final NDArray rows, final NDArray values) {
        storage.set(new NDIndex("{}", rows), values);
    }

    /**
     * Copies the whole bank to the heap.
     *
     * @return N * dim floats, row-major
     */
    public float[] toFloatArray() {
        try (NDManager scratch = manager.newSubManager()) {
            return view(scratch).toFloatArray();
        }
    }

    /**
     * Returns the paper's initial rows, uniform in [-s, s] with s = 1/sqrt(dim/3), scaled to unit length.
     *
     * <p>The paper's rows have an expected squared norm of exactly 1; scaling makes every row a unit vector, as the
     * feature store and the cosine kNN expect.
     *
     * @param count rows
     * @param dim dimension
     * @param rng random source
     * @return count * dim floats, unit rows
     */
    public static float[] randomRows(final int count, final int dim, final SplitMix64 rng) {
        final float s = (float) (1.0 / Math.sqrt(dim / 3.0));
        final float[] out = new float[count * dim];
        for (int r = 0; r < count; r++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                final float v = (2f * rng.nextFloat() - 1f) * s;
                out[r * dim + j] = v;
                norm += v * v;
            }
            final float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
            for (int j = 0; j < dim; j++) {
                out[r * dim + j] *= inv;
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
