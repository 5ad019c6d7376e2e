package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.npid.trainer.data.SplitMix64;

/**
 * The memory bank V: one row per image, held on the training device in an (capacity, dim) array that doubles when
 * full, so the bank grows without a restart.
 *
 * <p>Every method that returns an array takes the caller's manager: an op's result belongs to its first operand's
 * manager, so a plain {@code storage.get(idx)} would leave one array per step on the bank's long-lived manager.
 * Only the learner's thread may use it.
 *
 * <p>Rows are stored as float32 or, optionally, float16 (half the bytes per row: 256 instead of 512 at 128-d, for
 * banks of millions of rows). Every method takes and returns float32: half rows are widened after a gather, so a
 * step pays for the B + K rows it reads, not for the bank; only {@link #view} widens the whole bank.
 */
public final class MemoryBank implements AutoCloseable {
    private final NDManager manager;
    private final int dim;
    private final DataType type;
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
        this(parent, dim, initialCapacity, false);
    }

    /**
     * Creates an empty bank, optionally stored as float16.
     *
     * @param parent the long-lived manager (a sub-manager is made for the storage)
     * @param dim row dimension
     * @param initialCapacity rows allocated up front (at least 1)
     * @param half store float16 instead of float32
     */
    public MemoryBank(final NDManager parent, final int dim, final int initialCapacity, final boolean half) {
        this.manager = parent.newSubManager();
        this.dim = dim;
        this.type = half ? DataType.FLOAT16 : DataType.FLOAT32;
        this.storage = manager.zeros(new Shape(Math.max(1, initialCapacity), dim), type);
    }

    /** @return bytes one row takes in the bank: 4 * dim for float32, 2 * dim for float16 */
    public int bytesPerRow() {
        return dim * type.getNumOfBytes();
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
            storage.set(new NDIndex(size + ":" + (size + count)), stored(scratch.create(rows, new Shape(count, dim))));
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
     * Checks that rows first .. first + count - 1 are all in the bank (before work that would overwrite them).
     *
     * @param first the first row
     * @param count how many rows
     * @throws IllegalArgumentException naming the rows and the bank's size otherwise
     */
    void checkRows(final int first, final int count) {
        if (first < 0 || first + count > size) {
            throw new IllegalArgumentException("Rows " + first + ".." + (first + count - 1) + " are not all in the "
                    + "bank of " + size + " rows");
        }
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
        checkRows(first, count);
        if (count == 0) {
            return;
        }
        try (NDManager scratch = manager.newSubManager()) {
            storage.set(
                    new NDIndex(first + ":" + (first + count)), stored(scratch.create(rows, new Shape(count, dim))));
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
        final NDArray grown = manager.zeros(new Shape(newCapacity, dim), type);
        if (size > 0) {
            try (NDManager scratch = manager.newSubManager()) {
                grown.set(new NDIndex("0:" + size), storage.get(scratch, new NDIndex("0:" + size)));
            }
        }
        storage.close();
        storage = grown;
    }

    private NDArray stored(final NDArray values) {
        return values.getDataType() == type ? values : values.toType(type, false);
    }

    private static NDArray widened(final NDArray values) {
        return values.getDataType() == DataType.FLOAT32 ? values : values.toType(DataType.FLOAT32, false);
    }

    /**
     * Returns the first N rows in float32, owned by {@code on}.
     *
     * @param on the caller's (step) manager
     * @return an (N, dim) view of a float32 bank (writes through it change the bank), a float32 copy of a float16
     *     one (O(N) per call: use {@link #rows} where a gather will do)
     */
    public NDArray view(final NDManager on) {
        return widened(storage.get(on, new NDIndex("0:" + size)));
    }

    /**
     * Gathers rows.
     *
     * @param on the caller's (step) manager
     * @param rows int64 row indices, any shape
     * @return (len, dim) float32 copy owned by {@code on} (rows' shape followed by dim)
     */
    public NDArray rows(final NDManager on, final NDArray rows) {
        return widened(storage.get(on, new NDIndex("{}", rows)));
    }

    /** @return whether rows are stored as float16 */
    public boolean half() {
        return type == DataType.FLOAT16;
    }

    /**
     * Overwrites rows.
     *
     * @param rows int64 row indices (each below N)
     * @param values (len, dim) new values, float32
     */
    public void setRows(final NDArray rows, final NDArray values) {
        storage.set(new NDIndex("{}", rows), stored(values));
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
