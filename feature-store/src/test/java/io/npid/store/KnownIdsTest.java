package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

class KnownIdsTest {
    @TempDir
    Path dir;

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRebuildFromTheRowsColumnFamilyAndGrowAfterAdds() throws RocksDBException {
        try (StoreHandles h = StoreHandles.open(dir.resolve("s"), StoreOptions.defaults(4))) {
            for (int i = 0; i < 5000; i++) {
                h.db().put(h.rows(), StoreLayout.idToRowKey("id-" + i), StoreLayout.intBytes(i));
                h.db().put(h.rows(), StoreLayout.rowToIdKey(i), utf8("id-" + i));
            }
            final KnownIds ids = KnownIds.load(h, 10);
            assertEquals(5000, ids.size(), "loaded from the id -> row entries only, growing past the guess");
            for (int i = 0; i < 5000; i++) {
                assertTrue(ids.mayContain(utf8("id-" + i)), "id-" + i);
            }
            int falsePositives = 0;
            for (int i = 5000; i < 105_000; i++) {
                falsePositives += ids.mayContain(utf8("id-" + i)) ? 1 : 0;
            }
            assertEquals(0, falsePositives, "64-bit hashes of 100,000 absent ids");
            ids.add(utf8("new-one"));
            assertTrue(ids.mayContain(utf8("new-one")));
            ids.add(utf8("new-one"));
            assertEquals(5001, ids.size());
        }
    }

    @Test
    void shouldSpreadHashesAndNeverUseTheEmptyMark() {
        final Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            final long h = KnownIds.hash(utf8("img-" + i), 0);
            assertNotEquals(0L, h);
            seen.add(h);
        }
        assertEquals(200_000, seen.size());
        assertEquals(KnownIds.hash(utf8("abc"), 0), KnownIds.hash(utf8("xabc"), 1), "hashes from the given offset");
        assertFalse(KnownIds.hash(utf8("ab"), 0) == KnownIds.hash(utf8("ba"), 0));
    }
}
