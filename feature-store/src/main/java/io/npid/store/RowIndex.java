package io.npid.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Reads the id <-> row map of the rows column family, and class names by id. */
final class RowIndex {
    private RowIndex() {}

    /**
     * Derives the row count on open: the last row -> id key plus one, cross-checked with the stored row count.
     *
     * @param h the store
     * @return N, the number of rows
     * @throws StoreException naming the path if the two disagree (they are written in the same batch)
     */
    public static int countRows(final StoreHandles h) {
        final int n = lastRow(h) + 1;
        final int recorded = Math.max(0, MetaEntries.getInt(h, MetaEntries.ROW_COUNT));
        if (n != recorded) {
            throw new StoreException("Feature store at " + h.path() + " is inconsistent: its row map ends at row "
                    + (n - 1) + " but its recorded row count is " + recorded);
        }
        return n;
    }

    /**
     * @param h the store
     * @return the highest row number, or -1 for an empty store
     */
    public static int lastRow(final StoreHandles h) {
        try (RocksIterator it = h.db().newIterator(h.rows())) {
            it.seekForPrev(new byte[] {StoreLayout.ROW_TO_ID, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            if (it.isValid() && it.key().length == 5 && it.key()[0] == StoreLayout.ROW_TO_ID) {
                return StoreLayout.readInt(it.key(), 1);
            }
            it.status();
            return -1;
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "find its last row", e);
        }
    }

    /**
     * @param h the store
     * @param known hashes of the stored ids, which answer most lookups of absent ids
     * @param id an image id
     * @return its row, or -1 when the id has none
     */
    public static int rowOf(final StoreHandles h, final KnownIds known, final String id) {
        final byte[] utf8 = StoreLayout.idKey(id);
        if (!known.mayContain(utf8)) {
            return -1;
        }
        try {
            final byte[] v = h.db().get(h.rows(), StoreLayout.idToRowKey(utf8));
            return v == null ? -1 : StoreLayout.readInt(v, 0);
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "look up the row of image '" + id + "'", e);
        }
    }

    /**
     * @param h the store
     * @param row a row number
     * @return its image id, or null when there is no such row
     */
    public static String idOf(final StoreHandles h, final int row) {
        try {
            final byte[] v = h.db().get(h.rows(), StoreLayout.rowToIdKey(row));
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "look up the id of row " + row, e);
        }
    }

    /**
     * @param h the store
     * @param id an image id, stored or not
     * @return its class name, empty when no label has arrived
     */
    public static Optional<String> labelOf(final StoreHandles h, final String id) {
        try {
            return Optional.ofNullable(StoreLayout.className(h.db().get(h.labels(), StoreLayout.idKey(id))));
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "read the label of image '" + id + "'", e);
        }
    }

    /**
     * Looks up many rows' ids in one multiGet.
     *
     * @param h the store
     * @param rows row numbers, each below the store size
     * @return the ids in the same order
     * @throws StoreException naming the row if one has no id
     */
    public static String[] idsOf(final StoreHandles h, final int[] rows) {
        final List<byte[]> keys = new ArrayList<>(rows.length);
        for (final int row : rows) {
            keys.add(StoreLayout.rowToIdKey(row));
        }
        final List<byte[]> values = multiGet(h, h.rows(), keys, "look up the ids of " + rows.length + " rows");
        final String[] ids = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            final byte[] v = values.get(i);
            if (v == null) {
                throw new StoreException("Feature store at " + h.path() + " has no row " + rows[i]);
            }
            ids[i] = new String(v, StandardCharsets.UTF_8);
        }
        return ids;
    }

    /**
     * @param h the store
     * @param family the column family of every key
     * @param keys the keys
     * @param action what is being done, for the error message
     * @return the values in key order, null where absent
     */
    static List<byte[]> multiGet(
            final StoreHandles h, final ColumnFamilyHandle family, final List<byte[]> keys, final String action) {
        final List<ColumnFamilyHandle> families = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            families.add(family);
        }
        try {
            return h.db().multiGetAsList(families, keys);
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), action, e);
        }
    }
}
