package io.npid.store;

/** How RocksDB compresses the blocks of the images column family. */
public enum ImageCompression {
    /** No compression: the fastest reads, the most disk. */
    NONE,
    /** LZ4: cheap on the CPU, a good default for small decoded images. */
    LZ4,
    /** Zstandard: smaller files for more CPU per write and read. */
    ZSTD
}
