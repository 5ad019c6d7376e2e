package io.npid.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * The durable memory bank: every accepted image, its dense row, its latest bank vector, its class name, the trainer's
 * progress and the consumed Kafka offsets, in one RocksDB database.
 *
 * <p>Guarantees: an {@link IngestBatch} is stored wholly or not at all, with its offsets; rows are exactly 0..N-1,
 * one per distinct image id, never reused; a bank write and the progress given with it are atomic. Durability
 * follows {@link StoreOptions} (by default a process kill loses nothing that returned).
 *
 * <p>Thread-safe: ingests are serialised, reads and bank writes run concurrently. Only one process may open a store
 * at a time; a second gets a {@link StoreException} naming the path. Close it to release the lock.
 */
public final class FeatureStore implements AutoCloseable {
    private final StoreHandles handles;
    private final KnownIds knownIds;
    private final int dimension;
    private final boolean halfBank;
    private final CloseGuard guard;
    private final Object ingestLock = new Object();
    // The only in-memory state (the row count and the id hashes): derived from the rows column family on open and
    // advanced after each durable commit, so it can never hold something RocksDB does not.
    private volatile int size;

    private FeatureStore(final StoreHandles handles, final int dimension, final boolean halfBank, final int size) {
        this.handles = handles;
        this.knownIds = KnownIds.load(handles, size);
        this.dimension = dimension;
        this.halfBank = halfBank;
        this.size = size;
        this.guard = new CloseGuard("Feature store at " + handles.path());
    }

    /**
     * Opens a store, creating it when the directory is new or empty (unless options say not to); a directory made
     * by {@link #checkpoint(Path)} opens the same way.
     *
     * @param dir the store directory
     * @param options dimension and tuning; {@link StoreOptions#defaults(int)} for most uses
     * @return the open store
     * @throws StoreException naming the path if another process holds it, if it was made with another dimension or
     *     schema version (the message gives both values), or if it cannot be read
     */
    public static FeatureStore open(final Path dir, final StoreOptions options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        final StoreHandles handles = StoreHandles.open(dir, options);
        try {
            MetaEntries.verifyOrInitialise(handles, options.dimension());
            return new FeatureStore(handles, options.dimension(), options.halfBank(), RowIndex.countRows(handles));
        } catch (final RuntimeException e) {
            try {
                handles.close();
            } catch (final RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** @return the absolute store directory */
    public Path path() {
        return handles.path();
    }

    /** @return the length of every bank vector */
    public int dimension() {
        return dimension;
    }

    /** @return N, the number of rows, which is the number of distinct image ids stored */
    public int size() {
        return size;
    }

    /** @return a new, empty ingest batch of this store */
    public IngestBatch newIngest() {
        return new IngestBatch(this);
    }

    int[] commit(
            final List<StoredImage> images,
            final List<float[]> vectors,
            final Map<String, String> labels,
            final Map<TopicPartition, Long> offsets) {
        return guard.call(() -> {
            synchronized (ingestLock) {
                final IngestWriter.Result result = IngestWriter.commit(
                        handles, knownIds, dimension, halfBank, size, images, vectors, labels, offsets);
                size = result.size();
                return result.rows();
            }
        });
    }

    /**
     * @param id an image id
     * @return its row, or -1 when the image was never ingested
     */
    public int rowOf(final String id) {
        return guard.call(() -> RowIndex.rowOf(handles, knownIds, id));
    }

    /**
     * @param row a row number
     * @return the image id of the row, or null when {@code row} is not in 0..N-1
     */
    public String idOf(final int row) {
        if (row < 0) {
            return null;
        }
        return guard.call(() -> RowIndex.idOf(handles, row));
    }

    /**
     * @param row a row number
     * @return the class name of the row's image, empty when no label has arrived or the row does not exist
     */
    public Optional<String> labelOf(final int row) {
        final String id = idOf(row);
        return id == null ? Optional.empty() : labelOf(id);
    }

    /**
     * @param id an image id, ingested or not (labels may arrive first)
     * @return its class name, empty when no label has arrived
     */
    public Optional<String> labelOf(final String id) {
        return guard.call(() -> RowIndex.labelOf(handles, id));
    }

    /** @return the next offset to consume of every topic-partition ever committed with a batch */
    public Map<TopicPartition, Long> offsets() {
        return guard.call(() -> MetaEntries.offsets(handles));
    }

    /**
     * Reads the images of the given rows (a training batch) with multiGets.
     *
     * @param rows rows in 0..N-1, repeats allowed
     * @return the images in the order of {@code rows}
     * @throws StoreException naming the row if one is not in the store
     */
    public List<StoredImage> readImages(final int[] rows) {
        return guard.call(() -> ImageReader.read(handles, rows));
    }

    /**
     * Replaces bank rows, and stores the trainer progress in the same atomic write when given.
     *
     * @param rows rows in 0..N-1
     * @param vectors rows.length * dimension values, row-major; each row a finite unit vector (|norm - 1| <= 1e-3)
     * @param progressOrNull progress to store atomically with the rows, or null
     * @throws StoreException naming the row if a row is out of range or its vector is NaN/infinite/not unit, or naming
     *     both lengths when {@code vectors} has the wrong length; nothing is written then
     */
    public void writeBank(final int[] rows, final float[] vectors, final TrainerProgress progressOrNull) {
        guard.run(() -> BankWriter.write(handles, dimension, halfBank, size, rows, vectors, progressOrNull));
    }

    /**
     * Stores the trainer progress alone (for example after a model checkpoint).
     *
     * @param progress the progress
     */
    public void saveProgress(final TrainerProgress progress) {
        Objects.requireNonNull(progress, "progress");
        guard.run(() -> BankWriter.writeProgress(handles, progress));
    }

    /** @return the last stored progress, or {@link TrainerProgress#INITIAL} */
    public TrainerProgress progress() {
        return guard.call(() -> MetaEntries.progress(handles));
    }

    /**
     * Loads the whole bank into a new dense matrix.
     *
     * @return size() * dimension floats, row-major; rows never given a vector are zero
     */
    public float[] loadBank() {
        final int n = size;
        final float[] into = new float[Math.multiplyExact(n, dimension)];
        loadRows(n, into);
        return into;
    }

    /**
     * Loads the whole bank into the given matrix, to avoid allocating one.
     *
     * @param into at least size() * dimension floats; rows never given a vector are left untouched
     * @return the number of rows loaded (size() at the start of the call)
     * @throws IllegalArgumentException if {@code into} is too small
     */
    public int loadBank(final float[] into) {
        final int n = size;
        if ((long) n * dimension > into.length) {
            throw new IllegalArgumentException("loadBank needs " + (long) n * dimension + " floats for " + n
                    + " rows of dimension " + dimension + ", got " + into.length);
        }
        loadRows(n, into);
        return n;
    }

    private void loadRows(final int n, final float[] into) {
        guard.run(() -> BankScanner.load(handles, dimension, n, into));
    }

    /**
     * Reads the bank vectors of some rows (for example rows whose label changed), without scanning the bank.
     *
     * @param rows rows in 0..N-1, repeats allowed
     * @return one fresh vector per row, in the order of {@code rows}; null where the row never got a vector
     * @throws StoreException naming a row that is not in 0..N-1
     */
    public List<float[]> readBank(final int[] rows) {
        return guard.call(() -> BankScanner.read(handles, dimension, size, rows));
    }

    /**
     * Visits every row of one consistent snapshot in row order (for export and evaluation).
     *
     * @param visitor gets (id, row, class name or null, vector or null) per row
     */
    public void forEachRow(final BankRowVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        guard.run(() -> BankScanner.forEachRow(handles, dimension, visitor));
    }

    /**
     * Writes a consistent snapshot of the whole store (RocksDB Checkpoint, hard links where possible); open it with
     * {@link #open(Path, StoreOptions)}.
     *
     * @param dir a directory that does not exist yet
     * @throws StoreException naming the directory if it exists or the checkpoint fails
     */
    public void checkpoint(final Path dir) {
        guard.run(() -> handles.checkpoint(dir));
    }

    /** Forces all writes so far to disk, so they survive a machine crash even with sync writes off. */
    public void sync() {
        guard.run(handles::sync);
    }

    /**
     * Flushes memtables and compacts every column family fully (slow on a big store; for tools and benchmarks).
     */
    public void compact() {
        guard.run(handles::compact);
    }

    /** @return the live table bytes of each column family and the bytes of the whole directory */
    public DiskUsage diskUsage() {
        return guard.call(handles::diskUsage);
    }

    /** Waits for running operations, then releases the database and its lock; later calls throw. Idempotent. */
    @Override
    public void close() {
        if (guard.closeOnce()) {
            handles.close();
        }
    }

    @Override
    public String toString() {
        return "FeatureStore[" + path() + ", dimension " + dimension + ", " + size + " rows]";
    }
}
