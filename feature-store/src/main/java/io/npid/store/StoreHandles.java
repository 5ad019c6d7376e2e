package io.npid.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The open RocksDB database of a feature store with its column family handles and every native object they need.
 *
 * <p>{@link #close()} releases them in the order RocksDB requires: column family handles, then the database, then
 * the options, filters and cache the database was opened with. Not thread-safe to close while in use; the store's
 * {@link CloseGuard} sees to that.
 *
 * <p>Why one file of this length: opening and closing RocksDB must mirror each other step by step (options, column
 * families, handles), so both live here.
 */
final class StoreHandles implements AutoCloseable {
    private final Path path;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final Map<String, ColumnFamilyHandle> byName;
    private final WriteOptions writeOptions;
    private final List<AutoCloseable> owned;
    private final boolean walEnabled;

    private StoreHandles(
            final Path path,
            final RocksDB db,
            final List<ColumnFamilyHandle> handles,
            final WriteOptions writeOptions,
            final List<AutoCloseable> owned,
            final boolean walEnabled) {
        this.path = path;
        this.db = db;
        this.handles = handles;
        this.byName = byName(handles);
        this.writeOptions = writeOptions;
        this.owned = owned;
        this.walEnabled = walEnabled;
    }

    /**
     * Opens (or creates) the database and its column families.
     *
     * @param dir the store directory
     * @param options tuning and creation options
     * @return the open handles
     * @throws StoreException naming the path if it is locked, not a store, missing (when not created) or unreadable
     */
    public static StoreHandles open(final Path dir, final StoreOptions options) {
        RocksLibrary.ensureLoaded();
        final Path path = dir.toAbsolutePath().normalize();
        prepareDirectory(path, options.createIfMissing());
        final List<AutoCloseable> owned = new ArrayList<>();
        try {
            final ColumnFamilyTuning tuning = new ColumnFamilyTuning(options, owned);
            final DBOptions dbOptions = tuning.dbOptions();
            final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, tuning.defaultFamily()));
            for (final String name : StoreLayout.COLUMN_FAMILIES) {
                descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), tuning.family(name)));
            }
            final List<ColumnFamilyHandle> handles = new ArrayList<>();
            final RocksDB db = RocksDB.open(dbOptions, path.toString(), descriptors, handles);
            final WriteOptions writeOptions =
                    new WriteOptions().setSync(options.syncWrites()).setDisableWAL(!options.walEnabled());
            owned.add(writeOptions);
            return new StoreHandles(path, db, handles, writeOptions, owned, options.walEnabled());
        } catch (final RocksDBException e) {
            closeAll(owned);
            throw RocksErrors.onOpen(path, e);
        } catch (final RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    /** @return the absolute store directory */
    public Path path() {
        return path;
    }

    /** @return the database */
    public RocksDB db() {
        return db;
    }

    /** @return the write options every write uses (WAL and sync as configured) */
    public WriteOptions writeOptions() {
        return writeOptions;
    }

    /** @return the images column family */
    public ColumnFamilyHandle images() {
        return byName.get(StoreLayout.IMAGES_CF);
    }

    /** @return the rows column family (both directions of the id/row map) */
    public ColumnFamilyHandle rows() {
        return byName.get(StoreLayout.ROWS_CF);
    }

    /** @return the bank column family */
    public ColumnFamilyHandle bank() {
        return byName.get(StoreLayout.BANK_CF);
    }

    /** @return the labels column family */
    public ColumnFamilyHandle labels() {
        return byName.get(StoreLayout.LABELS_CF);
    }

    /** @return the meta column family */
    public ColumnFamilyHandle meta() {
        return byName.get(StoreLayout.META_CF);
    }

    /**
     * Writes a consistent snapshot of the whole store into a new directory with RocksDB's Checkpoint.
     *
     * @param target directory to create; it must not exist yet (its parent is created if needed)
     * @throws StoreException naming the target if it exists or the checkpoint fails
     */
    public void checkpoint(final Path target) {
        final Path to = target.toAbsolutePath().normalize();
        if (Files.exists(to)) {
            throw new StoreException("Cannot checkpoint feature store at " + path + " into " + to
                    + ": the target already exists; give a new directory");
        }
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            if (to.getParent() != null) {
                Files.createDirectories(to.getParent());
            }
            checkpoint.createCheckpoint(to.toString());
        } catch (final RocksDBException e) {
            throw RocksErrors.on(path, "write a checkpoint into " + to, e);
        } catch (final IOException e) {
            throw new StoreException("Cannot create the parent of checkpoint directory " + to + ": " + e, e);
        }
    }

    /**
     * Forces the write-ahead log to disk, so that every write so far survives a machine crash.
     *
     * @throws StoreException naming the path if the sync fails
     */
    public void sync() {
        try {
            if (walEnabled) {
                db.syncWal();
            } else {
                flushAll();
            }
        } catch (final RocksDBException e) {
            throw RocksErrors.on(path, "sync its write-ahead log", e);
        }
    }

    /**
     * Flushes all memtables of all column families to table files, atomically.
     *
     * @throws RocksDBException if the flush fails
     */
    public void flushAll() throws RocksDBException {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles);
        }
    }

    /**
     * Flushes the memtables and compacts every column family fully, so obsolete versions leave the disk.
     *
     * @throws StoreException naming the path if RocksDB fails
     */
    public void compact() {
        try {
            flushAll();
            for (final ColumnFamilyHandle handle : handles) {
                db.compactRange(handle);
            }
        } catch (final RocksDBException e) {
            throw RocksErrors.on(path, "compact", e);
        }
    }

    /**
     * @return live table bytes per column family and the bytes of the whole directory
     * @throws StoreException naming the path if the directory cannot be listed
     */
    public DiskUsage diskUsage() {
        final Map<String, Long> tables = new LinkedHashMap<>();
        for (final Map.Entry<String, ColumnFamilyHandle> family : byName.entrySet()) {
            tables.put(
                    family.getKey(),
                    db.getColumnFamilyMetaData(family.getValue()).size());
        }
        try (Stream<Path> files = Files.walk(path)) {
            final long total = files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
            return new DiskUsage(tables, total);
        } catch (final IOException e) {
            throw new StoreException("Cannot measure feature store directory " + path + ": " + e, e);
        }
    }

    /**
     * Closes the column families, the database and then its options, in that order.
     *
     * @throws StoreException naming the path if RocksDB reports an error while closing (everything is still released)
     */
    @Override
    public void close() {
        RocksDBException failure = null;
        try {
            if (!walEnabled) {
                // Without a WAL the memtables are the only copy of recent writes: put them in table files first.
                flushAll();
            }
        } catch (final RocksDBException e) {
            failure = e;
        }
        for (final ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        try {
            db.closeE();
        } catch (final RocksDBException e) {
            failure = failure == null ? e : failure;
        }
        closeAll(owned);
        if (failure != null) {
            throw RocksErrors.on(path, "close", failure);
        }
    }

    // Names each handle by the column family RocksDB says it is, not by its position in the open call.
    private static Map<String, ColumnFamilyHandle> byName(final List<ColumnFamilyHandle> handles) {
        final Map<String, ColumnFamilyHandle> named = new LinkedHashMap<>();
        try {
            for (final ColumnFamilyHandle handle : handles) {
                named.put(new String(handle.getName(), StandardCharsets.UTF_8), handle);
            }
        } catch (final RocksDBException e) {
            throw new IllegalStateException("RocksDB cannot name an open column family: " + e, e);
        }
        final Map<String, ColumnFamilyHandle> layout = new LinkedHashMap<>();
        for (final String name : StoreLayout.COLUMN_FAMILIES) {
            final ColumnFamilyHandle handle = named.get(name);
            if (handle == null) {
                throw new IllegalStateException("Column family " + name + " is not open; open gave " + named.keySet());
            }
            layout.put(name, handle);
        }
        return Collections.unmodifiableMap(layout);
    }

    private static void prepareDirectory(final Path path, final boolean createIfMissing) {
        try {
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new StoreException("Feature store path " + path + " is a file, not a directory");
            }
            if (Files.isDirectory(path) && !Files.exists(path.resolve("CURRENT"))) {
                try (Stream<Path> entries = Files.list(path)) {
                    if (entries.findAny().isPresent()) {
                        throw new StoreException("Directory " + path + " is not empty and holds no feature store (no"
                                + " RocksDB CURRENT file); give an empty or new directory");
                    }
                }
            }
            if (!Files.exists(path.resolve("CURRENT"))) {
                if (!createIfMissing) {
                    throw new StoreException("No feature store at " + path + " and "
                            + StoreOptions.CREATE_IF_MISSING_CONFIG + " is false");
                }
                Files.createDirectories(path);
            }
        } catch (final IOException e) {
            throw new StoreException("Cannot prepare feature store directory " + path + ": " + e, e);
        }
    }

    private static void closeAll(final List<AutoCloseable> owned) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (final Exception e) {
                // Closing native options cannot fail in practice; keep releasing the rest.
            }
        }
        owned.clear();
    }
}
