package io.npid.indexer.knn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * the threshold does not build it again and again); until that first build is done, searches stay exact.
 *
 * <p>Whole graph builds (the first, a rebuild that drops garbage, the one after a load) run on a background
 * executor, never on the calling stream thread; see {@link HnswRows}. A restore wraps its puts in
 * {@link #beginLoad()} and {@link #endLoad()} so that the graph is built once, at the end.
 *
 * <p>Not thread-safe: one Kafka Streams task owns it; searches may share it only while nothing changes it.
 */
public final class ShardIndex {

    private final FlatIndex rows;
    private final IndexSettings settings;
    private final Int8Rows int8;
    /**
     * Sample recall@200 below which an AUTO shard drops its graph and stays exact: the graph would change the vote.
     * Clustered 1M rows measure 0.995, uniform 128-d directions 0.14 (README, kNN index forms).
     */
    static final double MIN_AUTO_RECALL = 0.9;

    private static final Logger LOG = LoggerFactory.getLogger(ShardIndex.class);

    private final RowVectors vectors;
    private final Executor buildExecutor;
    private boolean graphRejected;
    private HnswRows hnsw;
    private int efSearch;
    private boolean loading;

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
        this(dimension, initialCapacity, settings, vectors, HnswRows.BACKGROUND);
    }

    /** Creates an empty index whose graph builds run on the given executor (tests run them when they choose). */
    ShardIndex(
            final int dimension,
            final int initialCapacity,
            final IndexSettings settings,
            final RowVectors vectors,
            final Executor buildExecutor) {
        this.buildExecutor = Objects.requireNonNull(buildExecutor, "buildExecutor");
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
        this.efSearch = settings.hnswEfSearch();
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
            rejectPoorAutoGraph();
        } else if (settings.form() == IndexForm.AUTO
                && !graphRejected
                && !loading
                && rows.size() >= settings.annMinRows()) {
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
        }
        return true;
    }

    /**
     * Takes in a finished background graph build and starts the next one when due, without waiting for a change:
     * called on the stream thread's timer, so that a shard whose input went quiet does not leave the rows added
     * during its last build in the exactly scanned tail.
     */
    public void maintain() {
        if (hnsw != null) {
            hnsw.maintain();
            rejectPoorAutoGraph();
        }
    }

    /**
     * Whole HNSW graph builds queued or running in this JVM, over every shard: what a benchmark waits for before it
     * measures the graph the indexer serves from.
     *
     * @return the builds in flight
     */
    public static int graphBuildsInFlight() {
        return HnswRows.buildsInFlight();
    }

    /** Stops a graph build in flight, which nobody would swap in: the shard left this instance (a rebalance). */
    public void close() {
        if (hnsw != null) {
            hnsw.abandon();
        }
    }

    /** Removes every row; an AUTO index drops its graph until it grows past the threshold again. */
    public void clear() {
        rows.clear();
        if (int8 != null) {
            int8.clearAll();
        }
        if (hnsw != null) {
            hnsw.abandon();
            hnsw = settings.form() == IndexForm.HNSW ? newGraph() : null;
        }
    }

    /**
     * Starts a load (a restore): until {@link #endLoad()}, rows wait outside the graph (searched exactly) and no
     * graph is built, so that one build at the end covers them all.
     */
    public void beginLoad() {
        loading = true;
        if (hnsw != null) {
            hnsw.setLoading(true);
        }
    }

    /** Ends a load: starts the graph build it calls for (in the background). */
    public void endLoad() {
        loading = false;
        if (hnsw != null) {
            hnsw.setLoading(false);
        } else if (settings.form() == IndexForm.AUTO && rows.size() >= settings.annMinRows()) {
            buildGraph();
        }
    }

    /**
     * Waits until no graph build is running and the graph holds every row it should: for benchmarks and tests,
     * never the stream thread.
     */
    public void awaitSearchStructure() {
        if (hnsw != null) {
            hnsw.awaitGraph();
        }
    }

    /**
     * Sets the HNSW search width (a search-time parameter, no rebuild): benchmarks try several on one graph.
     *
     * @param efSearch candidates per search, at least 1 (at least k are used)
     */
    public void setEfSearch(final int efSearch) {
        if (efSearch < 1) {
            throw new IllegalArgumentException("efSearch must be at least 1, not " + efSearch);
        }
        this.efSearch = efSearch;
    }

    /**
     * The HNSW search width now.
     *
     * @return candidates per search
     */
    public int efSearch() {
        return efSearch;
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
        if (int8 != null) {
            return IndexForm.INT8;
        }
        // AUTO stays exact, on its float tiles, until its first graph is swapped in, and for good if that graph
        // finds too few of the true neighbours on this data.
        final boolean graph = hnsw != null
                && (settings.form() == IndexForm.HNSW || (hnsw.hasGraph() && !(hnsw.graphRecall() < MIN_AUTO_RECALL)));
        return graph ? IndexForm.HNSW : IndexForm.EXACT;
    }

    /**
     * The recall@200 the current HNSW graph measured on a sample of its own rows when it was built.
     *
     * @return the sample recall, NaN without a graph
     */
    public double graphSampleRecall() {
        return hnsw == null ? Double.NaN : hnsw.graphRecall();
    }

    /**
     * Heap bytes held, by part: {@code rows} (the flat index's arrays as allocated: float tiles, one zero tile for
     * int8 and HNSW; class codes; the id table's arena, offsets and hash buckets; see {@link FlatIndex#heapBytes()}),
     * {@code int8} (codes and scales), {@code hnsw} (graph, node vectors and maps), and {@code total}.
     *
     * @return bytes by part
     */
    public Map<String, Long> heapBytes() {
        final Map<String, Long> bytes = new LinkedHashMap<>();
        bytes.put("rows", rows.heapBytes());
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

    /** AUTO's first graph: the rows join as the tail, and the build starts in the background. */
    private void buildGraph() {
        hnsw = newGraph();
        hnsw.setLoading(true);
        final float[] vector = new float[rows.dimension()];
        for (int slot = 0; slot < rows.slotLimit(); slot++) {
            if (rows.isUsed(slot)) {
                rows.vectorAt(slot, vector);
                hnsw.put(slot, vector);
            }
        }
        hnsw.setLoading(false);
    }

    /** An AUTO shard whose graph measured a poor recall drops it and stays exact (until the indexer restarts). */
    private void rejectPoorAutoGraph() {
        if (settings.form() == IndexForm.AUTO && hnsw.hasGraph() && hnsw.graphRecall() < MIN_AUTO_RECALL) {
            LOG.warn(
                    "A shard of {} rows searches exactly: its HNSW graph found {} of the true 200 nearest rows on a "
                            + "sample of its own rows (below {}); these vectors suit npid.indexer.index=exact or int8",
                    rows.size(),
                    String.format(java.util.Locale.ROOT, "%.0f%%", 100 * hnsw.graphRecall()),
                    MIN_AUTO_RECALL);
            hnsw.abandon();
            hnsw = null;
            graphRejected = true;
        }
    }

    private HnswRows newGraph() {
        return new HnswRows(
                rows.dimension(),
                settings.hnswM(),
                settings.hnswEfConstruction(),
                settings.hnswBuildThreads(),
                buildExecutor);
    }
}
