package io.npid.store;

import org.rocksdb.RocksDB;

/** Loads the RocksDB native library exactly once per JVM, on first use. */
final class RocksLibrary {
    static {
        RocksDB.loadLibrary();
    }

    private RocksLibrary() {}

    /** Makes sure the native library is loaded; class initialisation runs the load once, thread-safely. */
    public static void ensureLoaded() {
        // The static initialiser does the work.
    }
}
