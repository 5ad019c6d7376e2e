package io.npid.store;

import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Upgrades a schema version 1 store, whose labels were ints, to version 2, whose labels are class names: each
 * 4-byte big-endian label becomes its decimal string (label 3 is class {@code "3"}).
 *
 * <p>Every rewritten label and the new schema version go in ONE synced write batch, so a crash during the
 * migration leaves the store at version 1, untouched, and the next open migrates it again.
 */
final class LabelMigration {
    /** The layout version this migration upgrades from. */
    static final int FROM_VERSION = 1;

    private LabelMigration() {}

    /**
     * Rewrites the labels of a version 1 store and records version 2, atomically.
     *
     * @param h the store, at schema version 1
     * @return the number of labels rewritten
     * @throws StoreException naming the path if a stored label is not 4 bytes or RocksDB fails
     */
    static int fromVersion1(final StoreHandles h) {
        int rewritten = 0;
        try (WriteBatch batch = new WriteBatch();
                WriteOptions sync = new WriteOptions().setSync(true);
                RocksIterator it = h.db().newIterator(h.labels())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                final byte[] value = it.value();
                if (value.length != Integer.BYTES) {
                    throw new StoreException("Feature store at " + h.path() + " has schema version 1 but the label"
                            + " of image '" + new String(it.key(), StandardCharsets.UTF_8) + "' is " + value.length
                            + " bytes, not a 4-byte int; it is damaged");
                }
                final String name = Integer.toString(StoreLayout.readInt(value, 0));
                batch.put(h.labels(), it.key(), StoreLayout.classNameBytes(name));
                rewritten++;
            }
            it.status();
            batch.put(h.meta(), MetaEntries.SCHEMA_VERSION, StoreLayout.intBytes(StoreLayout.SCHEMA_VERSION));
            h.db().write(sync, batch);
        } catch (final RocksDBException e) {
            throw RocksErrors.on(
                    h.path(), "migrate its labels from schema version 1 to " + StoreLayout.SCHEMA_VERSION, e);
        }
        return rewritten;
    }
}
