package io.npid.store;

import java.nio.file.Path;
import java.util.Locale;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Turns RocksDB errors into {@link StoreException}s whose message names the store path and says what was done. */
final class RocksErrors {
    private RocksErrors() {}

    /**
     * @param path the store directory
     * @param e the error from opening it
     * @return a StoreException that says the store is locked when RocksDB could not take its LOCK file
     */
    public static StoreException onOpen(final Path path, final RocksDBException e) {
        final String detail = describe(e);
        final Status status = e.getStatus();
        final boolean ioError = status == null || status.getCode() == Status.Code.IOError;
        if (ioError && detail.toLowerCase(Locale.ROOT).contains("lock")) {
            return new StoreException(
                    "Feature store at " + path + " is already open in another process (or twice in"
                            + " this one): RocksDB could not take its lock file " + path.resolve("LOCK")
                            + "; stop the other user or open a checkpoint instead (" + detail + ")",
                    e);
        }
        return new StoreException("Cannot open feature store at " + path + ": " + detail, e);
    }

    /**
     * @param path the store directory
     * @param action what was being done, e.g. "commit an ingest batch"
     * @param e the error
     * @return a StoreException naming the action and the path
     */
    public static StoreException on(final Path path, final String action, final RocksDBException e) {
        return new StoreException("Feature store at " + path + " failed to " + action + ": " + describe(e), e);
    }

    private static String describe(final RocksDBException e) {
        return e.getMessage() != null
                ? e.getMessage()
                : e.getStatus() != null ? String.valueOf(e.getStatus().getState()) : e.toString();
    }
}
