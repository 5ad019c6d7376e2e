package io.npid.store;

import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.Filter;
import org.rocksdb.LRUCache;

/**
 * Builds the RocksDB database and column family options from {@link StoreOptions}, one tuning per column family.
 *
 * <p>Every native object it creates is added to the owner list given to the constructor, in creation order, so the
 * caller can close them in reverse once the database is closed.
 */
final class ColumnFamilyTuning {
    private static final long SMALL_FAMILY_BUFFER_BYTES = 16L * 1024 * 1024;

    private final StoreOptions options;
    private final List<AutoCloseable> owned;
    private final Cache cache;
    private final Filter bloom;

    ColumnFamilyTuning(final StoreOptions options, final List<AutoCloseable> owned) {
        this.options = options;
        this.owned = owned;
        this.cache = own(new LRUCache(options.blockCacheBytes()));
        this.bloom = own(new BloomFilter(10));
    }

    DBOptions dbOptions() {
        return own(new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                // One flush covers every column family, so a store without WAL still never holds half a batch.
                .setAtomicFlush(true)
                .setMaxBackgroundJobs(options.maxBackgroundJobs())
                .setKeepLogFileNum(5)
                .setMaxLogFileSize(16L * 1024 * 1024)
                .setStatsDumpPeriodSec(0));
    }

    ColumnFamilyOptions defaultFamily() {
        return own(new ColumnFamilyOptions().setWriteBufferSize(1024L * 1024));
    }

    ColumnFamilyOptions family(final String name) {
        return switch (name) {
            // Small blocks: a training batch reads 128 random images, each read decompresses one whole block. The Bloom
            // filter skips the levels that do not hold the id.
            case StoreLayout.IMAGES_CF -> table(options.writeBufferBytes(), imageCompression(), 4 * 1024, true);
            // Bank rows are float32 noise to a compressor; big blocks make the full-bank scan cheap.
            case StoreLayout.BANK_CF ->
                table(options.writeBufferBytes(), CompressionType.NO_COMPRESSION, 64 * 1024, false);
            // Point lookups of ids that are usually absent (new images): a Bloom filter answers most of them.
            case StoreLayout.ROWS_CF, StoreLayout.LABELS_CF ->
                table(smallBuffer(), CompressionType.LZ4_COMPRESSION, 4 * 1024, true);
            case StoreLayout.META_CF -> table(smallBuffer(), CompressionType.NO_COMPRESSION, 4 * 1024, false);
            default -> throw new IllegalArgumentException("Unknown column family " + name);
        };
    }

    private ColumnFamilyOptions table(
            final long writeBuffer, final CompressionType compression, final int blockSize, final boolean withBloom) {
        final BlockBasedTableConfig table =
                new BlockBasedTableConfig().setBlockCache(cache).setBlockSize(blockSize);
        if (withBloom) {
            // Families read by key also get a hash index in each data block: point lookups skip the binary search.
            table.setFilterPolicy(bloom).setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash);
        }
        return own(new ColumnFamilyOptions()
                .setWriteBufferSize(writeBuffer)
                .setCompressionType(compression)
                .setTableFormatConfig(table));
    }

    private long smallBuffer() {
        return Math.min(SMALL_FAMILY_BUFFER_BYTES, options.writeBufferBytes());
    }

    private CompressionType imageCompression() {
        final ImageCompression c = options.imageCompression();
        return switch (c) {
            case NONE -> CompressionType.NO_COMPRESSION;
            case LZ4 -> CompressionType.LZ4_COMPRESSION;
            case ZSTD -> CompressionType.ZSTD_COMPRESSION;
        };
    }

    private <T extends AutoCloseable> T own(final T nativeObject) {
        owned.add(nativeObject);
        return nativeObject;
    }
}
