package io.npid.store;

import io.npid.schemas.config.SettingNames;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
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
 *
 * <p>Why one file of this length: every store setting is declared, documented and read here, one declaration and one
 * typed accessor per setting, so npid settings lists the store from one place.
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

    private static final String CREATE_IF_MISSING_DOC =
            "Create the store when the directory holds none. Default true;" + " tools that only read set it to false.";

    /** {@code store.bank.dtype}: how bank vectors are written, float32 or float16. */
    public static final String BANK_DTYPE_CONFIG = "store.bank.dtype";

    private static final String BANK_DTYPE_DOC = "Element type of bank vectors written from now on: float32 or"
            + " float16 (half the bytes per row; values within float16 precision). Rows of either type are read,"
            + " so the setting can change on an existing store. Default float32.";

    private static final long MIB = 1024L * 1024L;
    private static final String PREFIX = "store.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    DIMENSION_CONFIG,
                    Type.INT,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Range.atLeast(1),
                    Importance.HIGH,
                    DIMENSION_DOC)
            .define(
                    BLOCK_CACHE_BYTES_CONFIG,
                    Type.LONG,
                    64 * MIB,
                    Range.atLeast(MIB),
                    Importance.MEDIUM,
                    BLOCK_CACHE_BYTES_DOC)
            .define(
                    WRITE_BUFFER_BYTES_CONFIG,
                    Type.LONG,
                    64 * MIB,
                    Range.atLeast(MIB),
                    Importance.MEDIUM,
                    WRITE_BUFFER_BYTES_DOC)
            .define(
                    IMAGE_COMPRESSION_CONFIG,
                    Type.STRING,
                    "lz4",
                    ConfigDef.CaseInsensitiveValidString.in("lz4", "zstd", "none"),
                    Importance.LOW,
                    IMAGE_COMPRESSION_DOC)
            .define(WAL_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.LOW, WAL_ENABLED_DOC)
            .define(SYNC_WRITES_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, SYNC_WRITES_DOC)
            .define(
                    MAX_BACKGROUND_JOBS_CONFIG,
                    Type.INT,
                    2,
                    Range.between(1, 64),
                    Importance.LOW,
                    MAX_BACKGROUND_JOBS_DOC)
            .define(CREATE_IF_MISSING_CONFIG, Type.BOOLEAN, true, Importance.LOW, CREATE_IF_MISSING_DOC)
            .define(
                    BANK_DTYPE_CONFIG,
                    Type.STRING,
                    "float32",
                    ConfigDef.CaseInsensitiveValidString.in("float32", "float16"),
                    Importance.LOW,
                    BANK_DTYPE_DOC);

    private final int dimension;
    private final long blockCacheBytes;
    private final long writeBufferBytes;
    private final ImageCompression imageCompression;
    private final boolean walEnabled;
    private final boolean syncWrites;
    private final int maxBackgroundJobs;
    private final boolean createIfMissing;
    private final boolean halfBank;

    private StoreOptions(
            final int dimension,
            final long blockCacheBytes,
            final long writeBufferBytes,
            final ImageCompression imageCompression,
            final boolean walEnabled,
            final boolean syncWrites,
            final int maxBackgroundJobs,
            final boolean createIfMissing,
            final boolean halfBank) {
        check(dimension >= 1, DIMENSION_CONFIG, dimension, "must be at least 1");
        check(blockCacheBytes >= MIB, BLOCK_CACHE_BYTES_CONFIG, blockCacheBytes, "must be at least " + MIB);
        check(writeBufferBytes >= MIB, WRITE_BUFFER_BYTES_CONFIG, writeBufferBytes, "must be at least " + MIB);
        check(
                maxBackgroundJobs >= 1 && maxBackgroundJobs <= 64,
                MAX_BACKGROUND_JOBS_CONFIG,
                maxBackgroundJobs,
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
        return new StoreOptions(dimension, 64 * MIB, 64 * MIB, ImageCompression.LZ4, true, false, 2, true, false);
    }

    /**
     * Builds options from {@code store.*} settings; keys not starting with {@code store.} are ignored, an unknown
     * {@code store.*} key fails naming the closest known one.
     *
     * @param settings values as strings or numbers; {@link #DIMENSION_CONFIG} is required
     * @return the options, with defaults for the settings not given
     * @throws ConfigException naming the setting and the value when a value is missing, malformed or out of range
     */
    public static StoreOptions fromMap(final Map<String, ?> settings) {
        final Map<String, Object> own = new HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                own.put(key, value);
            }
        });
        SettingNames.requireKnown(own, List.of(PREFIX), CONFIG.names(), "npid settings trainer");
        final AbstractConfig values = new AbstractConfig(CONFIG, own, false);
        return new StoreOptions(
                values.getInt(DIMENSION_CONFIG),
                values.getLong(BLOCK_CACHE_BYTES_CONFIG),
                values.getLong(WRITE_BUFFER_BYTES_CONFIG),
                parseCompression(values.getString(IMAGE_COMPRESSION_CONFIG)),
                values.getBoolean(WAL_ENABLED_CONFIG),
                values.getBoolean(SYNC_WRITES_CONFIG),
                values.getInt(MAX_BACKGROUND_JOBS_CONFIG),
                values.getBoolean(CREATE_IF_MISSING_CONFIG),
                "float16".equalsIgnoreCase(values.getString(BANK_DTYPE_CONFIG)));
    }

    /**
     * Every declared setting with its type, default, validator and doc (for {@code npid settings}).
     *
     * @return a copy of the definitions
     */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
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
     * @param bytes memtable size, at least 1 MiB
     * @return a copy with that memtable size
     */
    public StoreOptions withWriteBufferBytes(final long bytes) {
        return new StoreOptions(
                dimension,
                blockCacheBytes,
                bytes,
                imageCompression,
                walEnabled,
                syncWrites,
                maxBackgroundJobs,
                createIfMissing,
                halfBank);
    }

    /**
     * @param compression compression of stored images
     * @return a copy with that compression
     */
    public StoreOptions withImageCompression(final ImageCompression compression) {
        return new StoreOptions(
                dimension,
                blockCacheBytes,
                writeBufferBytes,
                compression,
                walEnabled,
                syncWrites,
                maxBackgroundJobs,
                createIfMissing,
                halfBank);
    }

    /**
     * @param enabled whether writes go to the write-ahead log
     * @return a copy with the WAL on or off
     */
    public StoreOptions withWalEnabled(final boolean enabled) {
        return new StoreOptions(
                dimension,
                blockCacheBytes,
                writeBufferBytes,
                imageCompression,
                enabled,
                syncWrites,
                maxBackgroundJobs,
                createIfMissing,
                halfBank);
    }

    /**
     * @param sync whether every write waits for fsync
     * @return a copy with synchronous writes on or off
     */
    public StoreOptions withSyncWrites(final boolean sync) {
        return new StoreOptions(
                dimension,
                blockCacheBytes,
                writeBufferBytes,
                imageCompression,
                walEnabled,
                sync,
                maxBackgroundJobs,
                createIfMissing,
                halfBank);
    }

    /**
     * @param jobs flush and compaction threads, 1 to 64
     * @return a copy with that many background jobs
     */
    public StoreOptions withMaxBackgroundJobs(final int jobs) {
        return new StoreOptions(
                dimension,
                blockCacheBytes,
                writeBufferBytes,
                imageCompression,
                walEnabled,
                syncWrites,
                jobs,
                createIfMissing,
                halfBank);
    }

    /**
     * @param create whether open creates a missing store
     * @return a copy that creates or refuses a missing store
     */
    public StoreOptions withCreateIfMissing(final boolean create) {
        return new StoreOptions(
                dimension,
                blockCacheBytes,
                writeBufferBytes,
                imageCompression,
                walEnabled,
                syncWrites,
                maxBackgroundJobs,
                create,
                halfBank);
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

    private static ImageCompression parseCompression(final Object value) {
        try {
            return ImageCompression.valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(IMAGE_COMPRESSION_CONFIG, value, "must be one of lz4, zstd, none");
        }
    }
}
