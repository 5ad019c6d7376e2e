package io.npid.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Immutable settings of a feature store: the bank dimension and the RocksDB tuning knobs.
 *
 * <p>Durability trade-off of the defaults (WAL on, sync off): every {@code commit()} and {@code writeBank(...)} is
 * written to the write-ahead log before it returns, so a killed process ({@code kill -9}) loses nothing that
 * returned; a machine crash or power loss may lose the last writes that the operating system had not yet put on
 * disk, but each lost write is lost whole, never half (a batch is one WAL record). Set {@code store.sync.writes=true}
 * to fsync every write (safe against machine crashes, much slower), or call {@link FeatureStore#sync()} at
 * checkpoints. With {@code store.wal.enabled=false} nothing is logged: writes since the last memtable flush are lost
 * even on a process crash (still atomically, as flushes of all column families are atomic); use it only for
 * rebuildable stores.
 */
public final class StoreOptions {
    /** {@code store.dimension}: length of every bank vector. */
    public static final String DIMENSION_CONFIG = "store.dimension";
    private static final String DIMENSION_DOC = "Length of every bank vector (the embedding size); fixed when the"
            + " store is created and checked on every open. No default; at least 1.";
    /** {@code store.block.cache.bytes}: size of the RocksDB block cache shared by all column families. */
    public static final String BLOCK_CACHE_BYTES_CONFIG = "store.block.cache.bytes";
    private static final String BLOCK_CACHE_BYTES_DOC = "Bytes of the LRU block cache shared by all column families."
            + " Default 67108864 (64 MiB); at least 1048576.";
    /** {@code store.write.buffer.bytes}: memtable size per column family. */
    public static final String WRITE_BUFFER_BYTES_CONFIG = "store.write.buffer.bytes";
    private static final String WRITE_BUFFER_BYTES_DOC = "Bytes of one memtable per column family before it is flushed."
            + " Default 67108864 (64 MiB); at least 1048576.";
    /** {@code store.image.compression}: block compression of the images column family. */
    public static final String IMAGE_COMPRESSION_CONFIG = "store.image.compression";
    private static final String IMAGE_COMPRESSION_DOC = "Block compression of stored images: lz4, zstd or none."
            + " Default lz4. The bank is never compressed (float vectors do not compress).";
    /** {@code store.wal.enabled}: whether writes go to the write-ahead log. */
    public static final String WAL_ENABLED_CONFIG = "store.wal.enabled";
    private static final String WAL_ENABLED_DOC = "Write every batch to the write-ahead log. Default true; false loses"
            + " the writes since the last flush on any crash.";
    /** {@code store.sync.writes}: whether every write waits for fsync. */
    public static final String SYNC_WRITES_CONFIG = "store.sync.writes";
    private static final String SYNC_WRITES_DOC = "fsync the write-ahead log on every write. Default false: a process"
            + " kill loses nothing, a machine crash may lose the last writes (whole batches only).";
    /** {@code store.max.background.jobs}: RocksDB flush and compaction threads. */
    public static final String MAX_BACKGROUND_JOBS_CONFIG = "store.max.background.jobs";
    private static final String MAX_BACKGROUND_JOBS_DOC = "Threads for flushes and compactions. Default 2; 1 to 64.";
    /** {@code store.create.if.missing}: whether open creates a new store. */
    public static final String CREATE_IF_MISSING_CONFIG = "store.create.if.missing";
    private static final String CREATE_IF_MISSING_DOC = "Create the store when the directory holds none. Default true;"
            + " tools that only read set it to false.";

    /** {@code store.bank.dtype}: how bank vectors are written, float32 or float16. */
    public static final String BANK_DTYPE_CONFIG = "store.bank.dtype";
    private static final String BANK_DTYPE_DOC = "Element type of bank vectors written from now on: float32 or"
            + " float16 (half the bytes per row; values within float16 precision). Rows of either type are read,"
            + " so the setting can change on an existing store. Default float32.";

    private static final long MIB = 1024L * 1024L;

    private final int dimension;
    private final long blockCacheBytes;
    private final long writeBufferBytes;
    private final ImageCompression imageCompression;
    private final boolean walEnabled;
    private final boolean syncWrites;
    private final int maxBackgroundJobs;
    private final boolean createIfMissing;
    private final boolean halfBank;

    private StoreOptions(final int dimension, final long blockCacheBytes, final long writeBufferBytes,
            final ImageCompression imageCompression, final boolean walEnabled, final boolean syncWrites,
            final int maxBackgroundJobs, final boolean createIfMissing, final boolean halfBank) {
        check(dimension >= 1, DIMENSION_CONFIG, dimension, "must be at least 1");
        check(blockCacheBytes >= MIB, BLOCK_CACHE_BYTES_CONFIG, blockCacheBytes, "must be at least " + MIB);
        check(writeBufferBytes >= MIB, WRITE_BUFFER_BYTES_CONFIG, writeBufferBytes, "must be at least " + MIB);
        check(maxBackgroundJobs >= 1 && maxBackgroundJobs <= 64, MAX_BACKGROUND_JOBS_CONFIG, maxBackgroundJobs,
                "must be between 1 and 64");
        if (imageCompression == null) {
            throw new ConfigException(IMAGE_COMPRESSION_CONFIG, null, "must be one of lz4, zstd, none");
        }
        this.dimension = dimension;
        this.blockCacheBytes = blockCacheBytes;
        this.writeBufferBytes = writeBufferBytes;
        this.imageCompression = imageCompression;
        this.walEnabled = walEnabled;
        this.syncWrites = syncWrites;
        this.maxBackgroundJobs = maxBackgroundJobs;
        this.createIfMissing = createIfMissing;
        this.halfBank = halfBank;
    }

    /**
     * Returns the default options for a bank of the given dimension.
     *
     * @param dimension length of every bank vector, at least 1
     * @return 64 MiB block cache, 64 MiB memtables, LZ4 images, WAL on, sync off, 2 background jobs, create if missing
     * @throws ConfigException if the dimension is below 1
     */
    public static StoreOptions defaults(final int dimension) {
        return new StoreOptions(dimension, 64 * MIB, 64 * MIB, ImageCompression.LZ4, true, false, 2, true,
                false);
    }

    /**
     * Documents every setting, for help texts and generated config docs.
     *
     * @return setting key to its documentation (unit, default, range), in declaration order
     */
    public static Map<String, String> documentation() {
        final Map<String, String> docs = new LinkedHashMap<>();
        docs.put(DIMENSION_CONFIG, DIMENSION_DOC);
        docs.put(BLOCK_CACHE_BYTES_CONFIG, BLOCK_CACHE_BYTES_DOC);
        docs.put(WRITE_BUFFER_BYTES_CONFIG, WRITE_BUFFER_BYTES_DOC);
        docs.put(IMAGE_COMPRESSION_CONFIG, IMAGE_COMPRESSION_DOC);
        docs.put(WAL_ENABLED_CONFIG, WAL_ENABLED_DOC);
        docs.put(SYNC_WRITES_CONFIG, SYNC_WRITES_DOC);
        docs.put(MAX_BACKGROUND_JOBS_CONFIG, MAX_BACKGROUND_JOBS_DOC);
        docs.put(CREATE_IF_MISSING_CONFIG, CREATE_IF_MISSING_DOC);
        docs.put(BANK_DTYPE_CONFIG, BANK_DTYPE_DOC);
        return Collections.unmodifiableMap(docs);
    }

    /**
     * Builds options from {@code store.*} settings; keys not starting with {@code store.} are ignored.
     *
     * @param settings values as strings or numbers; {@link #DIMENSION_CONFIG} is required
     * @return the options, with defaults for the settings not given
     * @throws ConfigException naming the setting and the value when a value is missing, malformed or out of range
     */
    public static StoreOptions fromMap(final Map<String, ?> settings) {
        final Object dim = settings.get(DIMENSION_CONFIG);
        if (dim == null) {
            throw new ConfigException(DIMENSION_CONFIG, null, "is required (" + DIMENSION_DOC + ")");
        }
        StoreOptions o = defaults((int) parseLong(DIMENSION_CONFIG, dim, Integer.MAX_VALUE));
        final long cache = longOr(settings, BLOCK_CACHE_BYTES_CONFIG, o.blockCacheBytes);
        final long buffer = longOr(settings, WRITE_BUFFER_BYTES_CONFIG, o.writeBufferBytes);
        final int jobs = (int) longOr(settings, MAX_BACKGROUND_JOBS_CONFIG, o.maxBackgroundJobs);
        o = o.withBlockCacheBytes(cache).withWriteBufferBytes(buffer).withMaxBackgroundJobs(jobs)
                .withWalEnabled(boolOr(settings, WAL_ENABLED_CONFIG, o.walEnabled))
                .withSyncWrites(boolOr(settings, SYNC_WRITES_CONFIG, o.syncWrites))
                .withCreateIfMissing(boolOr(settings, CREATE_IF_MISSING_CONFIG, o.createIfMissing));
        final Object compression = settings.get(IMAGE_COMPRESSION_CONFIG);
        if (compression != null) {
            o = o.withImageCompression(parseCompression(compression));
        }
        final Object dtype = settings.get(BANK_DTYPE_CONFIG);
        if (dtype != null) {
            final String type = dtype.toString().trim().toLowerCase(Locale.ROOT);
            check(type.equals("float32") || type.equals("float16"), BANK_DTYPE_CONFIG, dtype,
                    "must be float32 or float16");
            o = o.withHalfBank(type.equals("float16"));
        }
        return o;
    }

    /** @return the bank dimension */
    public int dimension() {
        return dimension;
    }

    /** @return bytes of the shared block cache */
    public long blockCacheBytes() {
        return blockCacheBytes;
    }

    /** @return bytes of one memtable */
    public long writeBufferBytes() {
        return writeBufferBytes;
    }

    /** @return the compression of the images column family */
    public ImageCompression imageCompression() {
        return imageCompression;
    }

    /** @return whether writes go to the write-ahead log */
    public boolean walEnabled() {
        return walEnabled;
    }

    /** @return whether every write waits for fsync */
    public boolean syncWrites() {
        return syncWrites;
    }

    /** @return the number of flush and compaction threads */
    public int maxBackgroundJobs() {
        return maxBackgroundJobs;
    }

    /** @return whether open creates a missing store */
    public boolean createIfMissing() {
        return createIfMissing;
    }

    /** @return whether bank vectors are written as float16 */
    public boolean halfBank() {
        return halfBank;
    }

    /**
     * @param half write bank vectors as float16 (true) or float32
     * @return a copy with that bank element type
     */
    public StoreOptions withHalfBank(final boolean half) {
        return new StoreOptions(dimension, blockCacheBytes, writeBufferBytes, imageCompression, walEnabled, syncWrites,
                maxBackgroundJobs, createIfMissing, half);
    }

    /**
     * @param bytes block cache size, at least 1 MiB
     * @return a copy with that block cache size
     */
    public StoreOptions withBlockCacheBytes(final long bytes) {
        return new StoreOptions(dimension, bytes, writeBufferBytes, imageCompression, walEnabled, syncWrites,
                maxBackgroundJobs, createIfMissing, halfBank);
    }

    /**
     * @param bytes memtable size, at least 1 MiB
     * @return a copy with that memtable size
     */
    public StoreOptions withWriteBufferBytes(final long bytes) {
        return new StoreOptions(dimension, blockCacheBytes, bytes, imageCompression, walEnabled, syncWrites,
                maxBackgroundJobs, createIfMissing, halfBank);
    }

    /**
     * @param compression compression of stored images
     * @return a copy with that compression
     */
    public StoreOptions withImageCompression(final ImageCompression compression) {
        return new StoreOptions(dimension, blockCacheBytes, writeBufferBytes, compression, walEnabled, syncWrites,
                maxBackgroundJobs, createIfMissing, halfBank);
    }

    /**
     * @param enabled whether writes go to the write-ahead log
     * @return a copy with the WAL on or off
     */
    public StoreOptions withWalEnabled(final boolean enabled) {
        return new StoreOptions(dimension, blockCacheBytes, writeBufferBytes, imageCompression, enabled, syncWrites,
                maxBackgroundJobs, createIfMissing, halfBank);
    }

    /**
     * @param sync whether every write waits for fsync
     * @return a copy with synchronous writes on or off
     */
    public StoreOptions withSyncWrites(final boolean sync) {
        return new StoreOptions(dimension, blockCacheBytes, writeBufferBytes, imageCompression, walEnabled, sync,
                maxBackgroundJobs, createIfMissing, halfBank);
    }

    /**
     * @param jobs flush and compaction threads, 1 to 64
     * @return a copy with that many background jobs
     */
    public StoreOptions withMaxBackgroundJobs(final int jobs) {
        return new StoreOptions(dimension, blockCacheBytes, writeBufferBytes, imageCompression, walEnabled, syncWrites,
                jobs, createIfMissing, halfBank);
    }

    /**
     * @param create whether open creates a missing store
     * @return a copy that creates or refuses a missing store
     */
    public StoreOptions withCreateIfMissing(final boolean create) {
        return new StoreOptions(dimension, blockCacheBytes, writeBufferBytes, imageCompression, walEnabled, syncWrites,
                maxBackgroundJobs, create, halfBank);
    }

    @Override
    public String toString() {
        return "StoreOptions{" + DIMENSION_CONFIG + "=" + dimension + ", " + BLOCK_CACHE_BYTES_CONFIG + "="
                + blockCacheBytes + ", " + WRITE_BUFFER_BYTES_CONFIG + "=" + writeBufferBytes + ", "
                + IMAGE_COMPRESSION_CONFIG + "=" + imageCompression.name().toLowerCase(Locale.ROOT) + ", "
                + WAL_ENABLED_CONFIG + "=" + walEnabled + ", " + SYNC_WRITES_CONFIG + "=" + syncWrites + ", "
                + MAX_BACKGROUND_JOBS_CONFIG + "=" + maxBackgroundJobs + ", " + CREATE_IF_MISSING_CONFIG + "="
                + createIfMissing + ", " + BANK_DTYPE_CONFIG + "=" + (halfBank ? "float16" : "float32") + "}";
    }

    private static void check(final boolean ok, final String key, final Object value, final String reason) {
        if (!ok) {
            throw new ConfigException(key, value, reason);
        }
    }

    private static long longOr(final Map<String, ?> settings, final String key, final long fallback) {
        final Object v = settings.get(key);
        return v == null ? fallback : parseLong(key, v, Long.MAX_VALUE);
    }

    private static long parseLong(final String key, final Object value, final long max) {
        try {
            final long parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
            check(parsed <= max, key, value, "must be at most " + max);
            return parsed;
        } catch (final NumberFormatException e) {
            throw new ConfigException(key, value, "must be an integer");
        }
    }

    private static boolean boolOr(final Map<String, ?> settings, final String key, final boolean fallback) {
        final Object v = settings.get(key);
        if (v == null) {
            return fallback;
        }
        final String s = v.toString().trim().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new ConfigException(key, v, "must be true or false");
        }
        return Boolean.parseBoolean(s);
    }

    private static ImageCompression parseCompression(final Object value) {
        try {
            return ImageCompression.valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(IMAGE_COMPRESSION_CONFIG, value, "must be one of lz4, zstd, none");
        }
    }
}
