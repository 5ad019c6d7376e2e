package io.npid.store;

import java.util.Arrays;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * An in-memory set of the 64-bit hashes of every stored image id, so that looking up an id that was never ingested
 * (the common case while ingesting) answers "absent" without touching RocksDB.
 *
 * <p>It is a filter, never the truth: a hash that is present only says "ask RocksDB", so hash collisions cost one
 * lookup and never a wrong answer. It is rebuilt from the rows column family on open and grown after each durable
 * commit; it holds no state of its own. About 16 bytes per id. Thread-safe.
 */
final class KnownIds {
    private static final long EMPTY = 0;
    private long[] slots;
    private int count;

    private KnownIds(final int expected) {
        slots = new long[capacityFor(expected)];
    }

    /**
     * Builds the set from the id -> row entries of the rows column family.
     *
     * @param h the store
     * @param expectedCount the number of rows, to size the table once
     * @return the set of every stored id's hash
     */
    public static KnownIds load(final StoreHandles h, final int expectedCount) {
        final KnownIds ids = new KnownIds(expectedCount);
        try (RocksIterator it = h.db().newIterator(h.rows())) {
            for (it.seek(new byte[] {StoreLayout.ID_TO_ROW}); it.isValid(); it.next()) {
                final byte[] key = it.key();
                if (key[0] != StoreLayout.ID_TO_ROW) {
                    break;
                }
                ids.addHash(hash(key, 1));
            }
            it.status();
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "load its image ids", e);
        }
        return ids;
    }

    /**
     * @param idUtf8 an id's UTF-8 bytes
     * @return false when the id is certainly not stored; true when it may be (ask RocksDB)
     */
    public synchronized boolean mayContain(final byte[] idUtf8) {
        final long h = hash(idUtf8, 0);
        final int mask = slots.length - 1;
        for (int i = (int) h & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
            if (slots[i] == h) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records a stored id; call only after the write that stored it returned.
     *
     * @param idUtf8 the id's UTF-8 bytes
     */
    public synchronized void add(final byte[] idUtf8) {
        addHash(hash(idUtf8, 0));
    }

    /** @return the number of distinct hashes held */
    public synchronized int size() {
        return count;
    }

    private void addHash(final long h) {
        final int mask = slots.length - 1;
        int i = (int) h & mask;
        for (; slots[i] != EMPTY; i = (i + 1) & mask) {
            if (slots[i] == h) {
                return;
            }
        }
        slots[i] = h;
        if (++count * 4L > slots.length * 3L) {
            grow();
        }
    }

    private void grow() {
        final long[] old = slots;
        slots = new long[old.length * 2];
        count = 0;
        Arrays.stream(old).filter(h -> h != EMPTY).forEach(this::addHash);
    }

    private static int capacityFor(final int expected) {
        final long wanted = Math.max(1024L, expected * 2L);
        return (int) Math.min(1L << 30, Long.highestOneBit(wanted - 1) << 1);
    }

    /** FNV-1a over the bytes, then murmur3's finaliser so that low bits spread well; never 0 (the empty mark). */
    static long hash(final byte[] bytes, final int from) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < bytes.length; i++) {
            h = (h ^ (bytes[i] & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }
}
