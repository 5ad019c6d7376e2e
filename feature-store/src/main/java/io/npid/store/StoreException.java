package io.npid.store;

/**
 * A feature-store failure whose message names what failed: the store path, the row, the image id or the setting.
 *
 * <p>Thrown for I/O and RocksDB errors, a store locked by another process, a store of another dimension or schema
 * version, and bank vectors that are not finite unit vectors of the store's dimension.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what failed and where.
     *
     * @param message what failed, naming the path, row, id or setting
     */
    public StoreException(final String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the underlying cause.
     *
     * @param message what failed, naming the path, row, id or setting
     * @param cause the underlying error (often a {@code RocksDBException})
     */
    public StoreException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
