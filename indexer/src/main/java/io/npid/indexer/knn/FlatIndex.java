package io.npid.indexer.knn;

import java.util.Arrays;

/**
 * A dense in-memory index of unit vectors, one slot per image id, kept in one contiguous {@code float[]}.
 *
 * <p>Rows are stored in tiles of {@link #TILE_ROWS} slots, dimension-major inside a tile (value {@code d} of slot
 * {@code s} is at {@code tile(s) * TILE_ROWS * dim + d * TILE_ROWS + s % TILE_ROWS}), so that a search kernel reads
 * one contiguous run of {@code TILE_ROWS} floats per dimension and computes a tile's scores with vector
 * multiply-adds and no horizontal sums. Updating an id rewrites its slot in place; removing it puts the slot on a
 * free list that the next new id reuses, so the array stays dense.
 *
 * <p>Each slot carries a class name (interned: one String per class, held as an int code per slot so the scan
 * reads ints); only labelled slots are returned by a search, because only they can vote. An unlabelled row is kept
 * so that a late label makes it vote at once. The ids are UTF-8 bytes in an {@link IdTable}, about 10 to 13 bytes a
 * row beyond the id's own, since at a million rows a map of Strings would weigh as much as the int8 codes.
 *
 * <p>Not thread-safe: one Kafka Streams task (one stream thread) owns an index.
 *
 * <p>Why one file of this length: the tiled row layout and the operations that keep it (insert, update, remove,
 * relabel, compact) share one invariant, which a split would spread over files.
 */
public final class FlatIndex {

    /** Slots per tile; a multiple of every vector kernel's width. */
    public static final int TILE_ROWS = 32;
    /** The class code of a slot that has no label (or is free): such a slot is never returned by a search. */
    static final int NO_CLASS = -1;

    private static final int MIN_TILES = 1;
    private static final long MAX_VALUES = Integer.MAX_VALUE - 16L;

    private final int dimension;
    private final boolean storesVectors;
    private final IdTable ids;
    private float[] data;
    private final ClassCodes classes = new ClassCodes();
    private int[] classCodes;
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int highWater;
    private int labelledCount;

    /**
     * Creates an empty index.
     *
     * @param dimension values per vector, at least 1
     * @param initialCapacity slots to allocate up front (grows by doubling)
     * @throws IllegalArgumentException if the dimension is below 1 or the capacity negative
     */
    public FlatIndex(final int dimension, final int initialCapacity) {
        this(dimension, initialCapacity, true);
    }

    /**
     * Creates an empty index that may leave the vectors to another structure.
     *
     * @param dimension values per vector, at least 1
     * @param initialCapacity slots to allocate up front (grows by doubling)
     * @param storesVectors false to keep only ids and classes (when an HNSW graph holds the vectors, or the int8 form
     *     reads them from the shard's store): then
     *     {@link #vectorAt} and exact searches see zero vectors
     * @throws IllegalArgumentException if the dimension is below 1 or the capacity negative
     */
    public FlatIndex(final int dimension, final int initialCapacity, final boolean storesVectors) {
        if (dimension < 1) {
            throw new IllegalArgumentException("Index dimension must be at least 1, not " + dimension);
        }
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("Index capacity must be at least 0, not " + initialCapacity);
        }
        this.dimension = dimension;
        this.storesVectors = storesVectors;
        final int tiles = Math.max(MIN_TILES, (initialCapacity + TILE_ROWS - 1) / TILE_ROWS);
        ids = new IdTable(tiles * TILE_ROWS);
        allocate(tiles * TILE_ROWS);
    }

    /**
     * Inserts or replaces the vector of an id, keeping its class if it has one.
     *
     * @param id image id
     * @param vector {@link #dimension()} values
     * @return the slot of the id
     * @throws IllegalArgumentException if the vector has the wrong length
     */
    public int put(final String id, final float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException(
                    "Vector of " + id + " has " + vector.length + " values, the index " + dimension);
        }
        final byte[] key = IdTable.key(id);
        final int existing = ids.slotOf(key);
        final int slot = existing >= 0 ? existing : allocateSlot(key);
        if (!storesVectors) {
            return slot;
        }
        final int base = tileBase(slot);
        final int lane = slot % TILE_ROWS;
        for (int d = 0; d < dimension; d++) {
            data[base + d * TILE_ROWS + lane] = vector[d];
        }
        return slot;
    }

    /**
     * Sets or clears the class of an indexed id.
     *
     * @param id image id
     * @param className the class name, or null to stop the row voting
     * @return whether the id is in the index
     */
    public boolean setClassName(final String id, final String className) {
        final int slot = slotOf(id);
        if (slot < 0) {
            return false;
        }
        setSlotClass(slot, className);
        return true;
    }

    /**
     * Removes an id and frees its slot for reuse.
     *
     * @param id image id
     * @return whether the id was in the index
     */
    public boolean remove(final String id) {
        final int slot = ids.remove(IdTable.key(id));
        if (slot < 0) {
            return false;
        }
        setSlotClass(slot, null);
        final int base = storesVectors ? tileBase(slot) : 0;
        final int lane = slot % TILE_ROWS;
        for (int d = 0; storesVectors && d < dimension; d++) {
            data[base + d * TILE_ROWS + lane] = 0f;
        }
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
        return true;
    }

    /** Removes every row, keeping the allocated capacity. */
    public void clear() {
        ids.clear();
        Arrays.fill(data, 0f);
        Arrays.fill(classCodes, NO_CLASS);
        classes.clear();
        freeCount = 0;
        highWater = 0;
        labelledCount = 0;
    }

    /**
     * The slot of an id.
     *
     * @param id image id
     * @return the slot, or -1 if absent
     */
    public int slotOf(final String id) {
        return ids.slotOf(IdTable.key(id));
    }

    /**
     * The id in a slot.
     *
     * @param slot a slot below {@link #slotLimit()}
     * @return the id (a String decoded from its stored UTF-8 bytes on each call), or null if the slot is free
     */
    public String idAt(final int slot) {
        return ids.idAt(slot);
    }

    /**
     * Whether a slot holds an id, without decoding it.
     *
     * @param slot a slot below {@link #slotLimit()}
     * @return true if the slot is in use
     */
    public boolean isUsed(final int slot) {
        return ids.hasId(slot);
    }

    /**
     * The class of a slot.
     *
     * @param slot a slot below {@link #slotLimit()}
     * @return the interned class name, or null when the slot has no label or is free
     */
    public String classNameAt(final int slot) {
        final int code = classCodes[slot];
        return code == NO_CLASS ? null : classes.name(code);
    }

    /**
     * Distinct classes of the labelled rows.
     *
     * @return the class count
     */
    public int classCount() {
        return classes.size();
    }

    /**
     * Copies the vector of a slot.
     *
     * @param slot a slot below {@link #slotLimit()}
     * @param into an array of at least {@link #dimension()} values
     */
    public void vectorAt(final int slot, final float[] into) {
        if (!storesVectors) {
            java.util.Arrays.fill(into, 0, dimension, 0f);
            return;
        }
        final int base = tileBase(slot);
        final int lane = slot % TILE_ROWS;
        for (int d = 0; d < dimension; d++) {
            into[d] = data[base + d * TILE_ROWS + lane];
        }
    }

    /**
     * Whether this index holds the vectors (else only ids and classes).
     *
     * @return true if it stores vectors
     */
    public boolean storesVectors() {
        return storesVectors;
    }

    /**
     * Values per vector.
     *
     * @return the dimension
     */
    public int dimension() {
        return dimension;
    }

    /**
     * Ids in the index, labelled or not.
     *
     * @return the row count
     */
    public int size() {
        return ids.size();
    }

    /**
     * Ids that have a label and so can vote.
     *
     * @return the labelled row count
     */
    public int labelledCount() {
        return labelledCount;
    }

    /**
     * One past the highest slot ever used: searches scan the tiles below it.
     *
     * @return the slot limit
     */
    public int slotLimit() {
        return highWater;
    }

    /**
     * Allocated slots.
     *
     * @return the capacity, a multiple of {@link #TILE_ROWS}
     */
    public int capacity() {
        return classCodes.length;
    }

    /**
     * Heap bytes of the float tiles as allocated (spare capacity included; one zero tile when the index stores no
     * vectors, so that a kernel may still read it).
     *
     * @return the bytes
     */
    public long vectorBytes() {
        return 4L * data.length;
    }

    /**
     * Heap bytes of every per-slot array as allocated, spare capacity included: float tiles, class codes, the id
     * table (arena, offsets, hash buckets) and the free list. The class names themselves (one String per class,
     * not per row) are not counted.
     *
     * @return the bytes
     */
    public long heapBytes() {
        return vectorBytes() + 4L * classCodes.length + ids.bytes() + 4L * freeSlots.length;
    }

    /** The tiled values, for the search kernels of this package; valid until the next insert. */
    float[] data() {
        return data;
    }

    /** The class code of every slot, {@link #NO_CLASS} for unlabelled and free slots; valid until the next insert. */
    int[] classCodes() {
        return classCodes;
    }

    private int tileBase(final int slot) {
        return (slot / TILE_ROWS) * TILE_ROWS * dimension;
    }

    private void setSlotClass(final int slot, final String className) {
        final int previous = classCodes[slot];
        if (previous != NO_CLASS && classes.name(previous).equals(className)) {
            return;
        }
        if (previous != NO_CLASS) {
            classes.release(previous);
            labelledCount--;
        }
        if (className == null) {
            classCodes[slot] = NO_CLASS;
        } else {
            classCodes[slot] = classes.acquire(className);
            labelledCount++;
        }
    }

    private int allocateSlot(final byte[] key) {
        final int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (highWater == classCodes.length) {
                allocate(classCodes.length * 2);
            }
            slot = highWater++;
        }
        ids.add(key, slot);
        return slot;
    }

    private void allocate(final int slots) {
        if ((long) slots * dimension > MAX_VALUES) {
            throw new IllegalStateException("A shard of " + slots + " rows of " + dimension + " values does not fit "
                    + "one Java array; spread the features over more partitions");
        }
        // Whole tiles only, so a kernel never reads past the array; slots keep their place when the array grows.
        final int values = storesVectors ? slots * dimension : TILE_ROWS * dimension;
        data = data == null ? new float[values] : Arrays.copyOf(data, values);
        final int oldSlots = classCodes == null ? 0 : classCodes.length;
        classCodes = classCodes == null ? new int[slots] : Arrays.copyOf(classCodes, slots);
        Arrays.fill(classCodes, oldSlots, slots, NO_CLASS);
        ids.ensureSlots(slots);
    }
}
