package io.npid.indexer.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The id table against a HashMap model: lookups, removals from inside probe runs, slot reuse, growth, arena
 * compaction, and ids that are not ASCII, under Lucene's hash and under hashes that collide on purpose.
 */
class IdTableTest {

    /** Every id in one probe run that starts at the last bucket, so the run wraps round the table. */
    private static final IdTable.ByteHash ALL_LAST = (bytes, offset, length) -> -1;
    /** Four home buckets, a quarter of the table apart. */
    private static final IdTable.ByteHash FOUR_HOMES =
            (bytes, offset, length) -> length == 0 ? 0 : (bytes[offset + length - 1] & 3) << 30;

    private static int add(final IdTable table, final String id, final int slot) {
        table.add(IdTable.key(id), slot);
        return slot;
    }

    private static int slotOf(final IdTable table, final String id) {
        return table.slotOf(IdTable.key(id));
    }

    @Test
    void shouldMapIdsToTheirSlotsAndBack() {
        final IdTable table = new IdTable(8);
        add(table, "a", 3);
        add(table, "bb", 0);
        assertEquals(3, slotOf(table, "a"));
        assertEquals(0, slotOf(table, "bb"));
        assertEquals(-1, slotOf(table, "b"), "a prefix is another id");
        assertEquals(-1, slotOf(table, "c"));
        assertEquals("a", table.idAt(3));
        assertNull(table.idAt(1));
        assertTrue(table.hasId(0));
        assertFalse(table.hasId(1));
        assertEquals(2, table.size());
        assertThrows(IllegalStateException.class, () -> add(table, "d", 3), "slot 3 is taken");
    }

    @Test
    void shouldRemoveAnIdAndLetItsSlotTakeAnotherId() {
        final IdTable table = new IdTable(4);
        add(table, "a", 0);
        add(table, "b", 1);
        assertEquals(1, table.remove(IdTable.key("b")));
        assertEquals(-1, table.remove(IdTable.key("b")), "gone");
        assertEquals(-1, slotOf(table, "b"));
        assertNull(table.idAt(1));
        assertEquals(1, table.size());

        add(table, "c", 1);
        assertEquals("c", table.idAt(1));
        add(table, "b", 2);
        assertEquals(2, slotOf(table, "b"), "a removed id comes back in another slot");
        assertEquals(0, slotOf(table, "a"));
    }

    @Test
    void shouldKeepNonAsciiIdsApartAndGiveThemBack() {
        final List<String> ids = List.of(
                "café", // é as one code point
                "cafe\u0301", // e and a combining accent: other bytes, another id
                "图像-7",
                "\uD83D\uDE00 smile", // a surrogate pair: four UTF-8 bytes
                "",
                "x".repeat(200), // a two-byte length
                "ü".repeat(9_000)); // 18,000 bytes: a three-byte length
        final IdTable table = new IdTable(2);
        for (int i = 0; i < ids.size(); i++) {
            table.ensureSlots(i + 1);
            add(table, ids.get(i), i);
        }
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i, slotOf(table, ids.get(i)), ids.get(i));
            assertEquals(ids.get(i), table.idAt(i));
        }
        assertEquals(-1, slotOf(table, "cafe"));
        assertEquals(-1, slotOf(table, "x".repeat(199)));
    }

    @Test
    void shouldTreatIdsAsTheirUtf8BytesAsTheStoreDoes() {
        // String.getBytes(UTF_8), the state store's key serialisation, writes an unpaired surrogate as '?'.
        final IdTable table = new IdTable(2);
        add(table, "a\uD800", 0);
        assertEquals(0, slotOf(table, "a?"));
        assertEquals("a?", table.idAt(0));
    }

    @Test
    void shouldGrowPastItsInitialCapacity() {
        final IdTable table = new IdTable(4);
        final int rows = 20_000;
        for (int i = 0; i < rows; i++) {
            if (i == table.slots()) {
                table.ensureSlots(2 * i);
            }
            add(table, "img-" + i, i);
        }
        assertTrue(table.slots() >= rows);
        for (int i = 0; i < rows; i++) {
            assertEquals(i, slotOf(table, "img-" + i));
            assertEquals("img-" + i, table.idAt(i));
        }
        assertEquals(rows, table.size());
        // Offsets (one int a slot), arena (11 bytes an id at most, 1/8 spare) and at most 8 bytes of buckets.
        assertTrue(table.bytes() <= 4L * table.slots() + rows * (11 + 2 + 8) + 64, "bytes " + table.bytes());
    }

    @Test
    void shouldAgreeWithAMapUnderCollidingHashes() {
        for (final IdTable.ByteHash hash : List.of(ALL_LAST, FOUR_HOMES)) {
            checkAgainstModel(new IdTable(64, hash), 64, 3_000, 11);
        }
    }

    @Test
    void shouldAgreeWithAMapUnderManyInsertsAndRemovals() {
        checkAgainstModel(new IdTable(16), 4_096, 100_000, 12);
    }

    @Test
    void shouldDropTheBytesOfRemovedIdsWhenTheyAreHalfTheArena() {
        final IdTable table = new IdTable(1_000);
        for (int i = 0; i < 1_000; i++) {
            add(table, "first-" + i, i);
        }
        final long full = table.bytes();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 1_000; i++) {
                assertEquals(i, table.remove(IdTable.key(table.idAt(i))));
                add(table, "round-" + round + "-" + i, i);
            }
        }
        assertTrue(table.garbageBytes() < 20 * 1_000, "compacted: " + table.garbageBytes() + " bytes of garbage");
        assertTrue(table.bytes() < full * 3, "the arena did not keep every removed id: " + table.bytes());
        for (int i = 0; i < 1_000; i++) {
            assertEquals("round-19-" + i, table.idAt(i));
            assertEquals(i, slotOf(table, "round-19-" + i));
            assertEquals(-1, slotOf(table, "round-18-" + i));
        }
    }

    @Test
    void shouldForgetEverythingOnClear() {
        final IdTable table = new IdTable(4);
        add(table, "a", 0);
        add(table, "b", 1);
        table.remove(IdTable.key("a"));
        table.clear();
        assertEquals(0, table.size());
        assertEquals(0, table.garbageBytes());
        assertEquals(-1, slotOf(table, "b"));
        assertNull(table.idAt(1));
        add(table, "b", 0);
        assertEquals(0, slotOf(table, "b"));
    }

    /**
     * Random adds and removals over a fixed number of slots (a free list like the index's), with every id checked
     * against the model after each removal and at the end.
     */
    private static void checkAgainstModel(final IdTable table, final int slots, final int steps, final long seed) {
        final Random random = new Random(seed);
        final Map<String, Integer> model = new HashMap<>();
        final Deque<Integer> free = new ArrayDeque<>();
        for (int slot = slots - 1; slot >= 0; slot--) {
            free.push(slot);
        }
        final List<String> live = new ArrayList<>();
        table.ensureSlots(slots);
        for (int step = 0; step < steps; step++) {
            final boolean insert = !free.isEmpty() && (live.isEmpty() || random.nextInt(3) > 0);
            if (insert) {
                final String id = "id-" + random.nextInt(4 * slots) + "-é";
                if (model.containsKey(id)) {
                    assertEquals((int) model.get(id), slotOf(table, id), id);
                    continue;
                }
                final int slot = free.pop();
                add(table, id, slot);
                model.put(id, slot);
                live.add(id);
            } else {
                final String id = live.remove(random.nextInt(live.size()));
                final int slot = model.remove(id);
                assertEquals(slot, table.remove(IdTable.key(id)), id);
                free.push(slot);
                if (step % 97 == 0) {
                    assertMatches(table, model, slots);
                }
            }
            assertEquals(model.size(), table.size());
        }
        assertMatches(table, model, slots);
    }

    private static void assertMatches(final IdTable table, final Map<String, Integer> model, final int slots) {
        model.forEach((id, slot) -> {
            assertEquals(slot, slotOf(table, id), id);
            assertEquals(id, table.idAt(slot));
        });
        int held = 0;
        for (int slot = 0; slot < slots; slot++) {
            held += table.hasId(slot) ? 1 : 0;
        }
        assertEquals(model.size(), held);
        assertEquals(-1, slotOf(table, "never-added"));
    }
}
