package io.npid.indexer.knn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A shard's rows ({@link FlatIndex}: ids, float vectors, classes) and the search structure of its
 * {@link IndexForm}, kept in step on every change: int8 codes, or Lucene's HNSW graph.
 *
 * <p>With {@link IndexForm#HNSW} the flat index keeps ids and classes only: the graph's node vectors are the one
 * copy. With {@link IndexForm#INT8} it keeps ids and classes only too, next to the int8 codes: the float vectors
 * of the re-rank are read from a {@link RowVectors} source (the shard's state store), so no float row is on the
 * heap.
 *
 * <p>With {@link IndexForm#AUTO} the graph is built the first time the shard reaches
 * {@link IndexSettings#annMinRows()} rows and kept from then on (a shard that shrinks keeps it, so a shard near
 * the threshold does not build it again and again).
 *
 * <p>Not thread-safe: one Kafka Streams task owns it; searches may share it only while nothing changes it.
 */
public final class ShardIndex {

    private final FlatIndex rows;
    private final IndexSettings settings;
    private final Int8Rows int8;
    private final RowVectors vectors;
    private HnswRows hnsw;

    /**
     * Creates an empty index of a form that holds its own vectors (exact, HNSW, auto).
     *
     * @param dimension values per vector, at least 1
     * @param initialCapacity rows to allocate up front
     * @param settings the form and its parameters
     * @throws IllegalArgumentException if the form is int8, which needs a {@link RowVectors} source
     */
    public ShardIndex(final int dimension, final int initialCapacity, final IndexSettings settings) {
        this(dimension, initialCapacity, settings, null);
    }

    /**
     * Creates an empty index.
     *
     * @param dimension values per vector, at least 1
     * @param initialCapacity rows to allocate up front
     * @param settings the form and its parameters
     * @param vectors where the int8 form reads its candidates' float vectors for the re-rank; required for int8,
     *     ignored (may be null) by the other forms
     * @throws IllegalArgumentException if the form is int8 and there is no source
     */
    public ShardIndex(
            final int dimension, final int initialCapacity, final IndexSettings settings, final RowVectors vectors) {
        this.settings = Objects.requireNonNull(settings, "settings");
        final boolean int8Form = settings.form() == IndexForm.INT8;
        if (int8Form && vectors == null) {
            throw new IllegalArgumentException("The int8 index re-ranks with float vectors read from a RowVectors "
                    + "source (the shard's store): none was given");
        }
        // A fixed HNSW index re-ranks from the graph's own node vectors and int8 from the source, so the tiles
        // would be a second copy.
        this.rows = new FlatIndex(dimension, initialCapacity, settings.form() != IndexForm.HNSW && !int8Form);
        this.int8 = int8Form ? new Int8Rows(dimension) : null;
        this.vectors = int8Form ? vectors : null;
        this.hnsw = settings.form() == IndexForm.HNSW ? newGraph() : null;
    }

    /**
     * Inserts or replaces the vector of an id, keeping its class.
     *
     * @param id image id
     * @param vector the vector
     * @return the id's slot
     */
    public int put(final String id, final float[] vector) {
        final int slot = rows.put(id, vector);
        if (int8 != null) {
            int8.set(slot, vector, rows.capacity());
        }
        if (hnsw != null) {
            hnsw.put(slot, vector);
            hnsw.maybeRebuild();
        } else if (settings.form() == IndexForm.AUTO && rows.size() >= settings.annMinRows()) {
            buildGraph();
        }
        return slot;
    }

    /**
     * Sets or clears the class of an id.
     *
     * @param id image id
     * @param className the class, or null
     * @return whether the id is indexed
     */
    public boolean setClassName(final String id, final String className) {
        return rows.setClassName(id, className);
    }

    /**
     * Removes an id.
     *
     * @param id image id
     * @return whether it was indexed
     */
    public boolean remove(final String id) {
        final int slot = rows.slotOf(id);
        if (slot < 0) {
            return false;
        }
        rows.remove(id);
        if (int8 != null) {
            int8.clear(slot);
        }
        if (hnsw != null) {
            hnsw.remove(slot);
            hnsw.maybeRebuild();
        }
        return true;
    }

    /** Removes every row; an AUTO index drops its graph until it grows past the threshold again. */
    public void clear() {
        rows.clear();
        if (int8 != null) {
            int8.clearAll();
        }
        if (hnsw != null) {
            hnsw = settings.form() == IndexForm.HNSW ? newGraph() : null;
        }
    }

    /**
     * The rows: ids, classes and (exact and auto forms only) vectors, by slot.
     *
     * @return the flat index
     */
    public FlatIndex rows() {
        return rows;
    }

    /**
     * The settings.
     *
     * @return the settings
     */
    public IndexSettings settings() {
        return settings;
    }

    /**
     * The form searches use now: AUTO resolves to EXACT or HNSW.
     *
     * @return EXACT, INT8 or HNSW
     */
    public IndexForm activeForm() {
        return int8 != null ? IndexForm.INT8 : hnsw != null ? IndexForm.HNSW : IndexForm.EXACT;
    }

    /**
     * Heap bytes held, by part: {@code rows} (float tiles, none for int8 and HNSW; class codes, id table and id
     * map: an estimate of 64 bytes per map entry plus the id strings), {@code int8} (codes and scales), {@code hnsw} (graph, node
     * vectors and maps), and {@code total}.
     *
     * @return bytes by part
     */
    public Map<String, Long> heapBytes() {
        final Map<String, Long> bytes = new LinkedHashMap<>();
        final long tiles = rows.storesVectors() ? 4L * rows.capacity() * rows.dimension() : 0L;
        final long slots = 4L * rows.capacity() + 8L * rows.capacity();
        long ids = 0;
        for (int slot = 0; slot < rows.slotLimit(); slot++) {
            final String id = rows.idAt(slot);
            if (id != null) {
                // Map entry and boxed slot, String header and its Latin-1 bytes.
                ids += 64 + 40 + id.length();
            }
        }
        bytes.put("rows", tiles + slots + ids);
        bytes.put("int8", int8 == null ? 0L : int8.bytes());
        bytes.put("hnsw", hnsw == null ? 0L : hnsw.bytes());
        bytes.put("total", bytes.get("rows") + bytes.get("int8") + bytes.get("hnsw"));
        return bytes;
    }

    /** The int8 codes, or null. */
    Int8Rows int8() {
        return int8;
    }

    /** Where the int8 form reads float vectors, or null for the other forms. */
    RowVectors vectors() {
        return vectors;
    }

    /** The HNSW graph, or null. */
    HnswRows hnsw() {
        return hnsw;
    }

    private void buildGraph() {
        hnsw = newGraph();
        final float[] vector = new float[rows.dimension()];
        for (int slot = 0; slot < rows.slotLimit(); slot++) {
            if (rows.idAt(slot) != null) {
                rows.vectorAt(slot, vector);
                hnsw.put(slot, vector);
            }
        }
    }

    private HnswRows newGraph() {
        return new HnswRows(rows.dimension(), settings.hnswM(), settings.hnswEfConstruction());
    }
}
