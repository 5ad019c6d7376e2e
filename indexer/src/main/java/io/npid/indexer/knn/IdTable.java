package io.npid.indexer.knn;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.StringHelper;

/**
 * The image ids of a {@link FlatIndex}'s slots: each id's UTF-8 bytes in one byte arena, and an open-addressing
 * hash table of slot numbers to find an id's slot. A row costs its id's bytes plus about 10 to 13: a length byte,
 * the slot's arena offset, and 4 to 8 bytes of hash table, against about 110 for a {@code HashMap<String,
 * Integer>} entry, its boxed slot and its String.
 *
 * <p>The slots are the index's own (it hands them out and reuses them through its free list), so the table maps
 * an id to the slot it is given and back. Ids are compared as UTF-8 bytes, as the shard's state store keys them
 * ({@code String.getBytes(UTF_8)}): two Strings the store cannot tell apart (an unpaired surrogate encodes as
 * '?') are one id here too, and {@link #idAt(int)} returns the decoded form.
 *
 * <p>Why not Lucene's {@code BytesRefHash}, which maps byte sequences to dense ints: it cannot remove one entry
 * (only clear all), so every deleted or re-keyed row would leave its bytes and its hash entry until a rebuild, and
 * its dense ordinals are not the index's slots, so two more int arrays would map between them. Here a removal
 * takes the id out of the hash at once (backward-shift deletion: no tombstones, probes stay short) and leaves
 * only its arena bytes, which a compaction drops once they are as many as the live ones.
 *
 * <p>The hash is Lucene's MurmurHash3 with its per-process seed, the table is linear-probed, kept at most 3/4
 * full, and its length need not be a power of two (the bucket is the hash's high bits scaled to the length), so
 * a table sized for a known row count wastes no space to rounding. Not thread-safe, like the index.
 */
final class IdTable {

    /** The arena offset of a slot that holds no id. */
    private static final int NO_ID = -1;
    /** A hash bucket that holds no slot. */
    private static final int EMPTY = -1;

    private static final int MIN_BUCKETS = 16;
    private static final int MAX_BUCKETS = Integer.MAX_VALUE - 16;
    private static final long MAX_ARENA = Integer.MAX_VALUE - 16L;

    /** Hashes UTF-8 bytes; tests pass a poor one to force collisions. */
    @FunctionalInterface
    interface ByteHash {
        /**
         * Hashes a byte range.
         *
         * @param bytes the array
         * @param offset first byte
         * @param length byte count
         * @return the hash
         */
        int hash(byte[] bytes, int offset, int length);
    }

    private static final ByteHash MURMUR = (bytes, offset, length) ->
            StringHelper.murmurhash3_x86_32(bytes, offset, length, StringHelper.GOOD_FAST_HASH_SEED);

    private final ByteHash hash;
    /** Per slot: where its entry (a variable-length byte count, then the id's bytes) starts, or {@link #NO_ID}. */
    private int[] offsets;
    /** Per bucket: a slot, or {@link #EMPTY}. */
    private int[] buckets;

    private byte[] arena = new byte[0];
    private int arenaUsed;
    private int garbageBytes;
    private int size;

    /**
     * Creates an empty table.
     *
     * @param slots slots to allocate up front; {@link #ensureSlots(int)} adds more
     */
    IdTable(final int slots) {
        this(slots, MURMUR);
    }

    /** Creates an empty table with the given hash (tests). */
    IdTable(final int slots, final ByteHash hash) {
        this.hash = hash;
        offsets = new int[slots];
        Arrays.fill(offsets, NO_ID);
        buckets = new int[bucketsFor(slots)];
        Arrays.fill(buckets, EMPTY);
    }

    /**
     * The bytes an id is stored and compared as.
     *
     * @param id an image id
     * @return its UTF-8 bytes
     */
    static byte[] key(final String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The slot of an id.
     *
     * @param key the id's {@link #key(String)}
     * @return its slot, or -1 if absent
     */
    int slotOf(final byte[] key) {
        final int bucket = find(key);
        return bucket < 0 ? -1 : buckets[bucket];
    }

    /**
     * Gives an absent id a free slot.
     *
     * @param key the id's {@link #key(String)}, not in the table
     * @param slot a slot below {@link #slots()} that holds no id
     */
    void add(final byte[] key, final int slot) {
        if (offsets[slot] != NO_ID) {
            throw new IllegalStateException("Slot " + slot + " already holds " + idAt(slot));
        }
        if (size + 1 > buckets.length - buckets.length / 4) {
            // Half full after growing: 4 to 8 bytes of table per id between growths.
            rehash((int) Math.min(MAX_BUCKETS, 2L * (size + 1)));
        }
        int bucket = home(key, 0, key.length);
        while (buckets[bucket] != EMPTY) {
            bucket = next(bucket);
        }
        offsets[slot] = append(key);
        buckets[bucket] = slot;
        size++;
    }

    /**
     * Removes an id.
     *
     * @param key the id's {@link #key(String)}
     * @return the slot it held, or -1 if absent
     */
    int remove(final byte[] key) {
        final int bucket = find(key);
        if (bucket < 0) {
            return -1;
        }
        final int slot = buckets[bucket];
        final int start = offsets[slot];
        garbageBytes += entryEnd(start) - start;
        offsets[slot] = NO_ID;
        size--;
        shiftBack(bucket);
        return slot;
    }

    /**
     * The id in a slot.
     *
     * @param slot a slot below {@link #slots()}
     * @return the id, decoded from its UTF-8 bytes, or null if the slot holds none
     */
    String idAt(final int slot) {
        final int start = offsets[slot];
        if (start == NO_ID) {
            return null;
        }
        final int length = readLength(start);
        return new String(arena, start + lengthBytes(length), length, StandardCharsets.UTF_8);
    }

    /**
     * Whether a slot holds an id.
     *
     * @param slot a slot below {@link #slots()}
     * @return true if it does
     */
    boolean hasId(final int slot) {
        return offsets[slot] != NO_ID;
    }

    /**
     * Ids held.
     *
     * @return the count
     */
    int size() {
        return size;
    }

    /**
     * Slots allocated.
     *
     * @return the slot capacity
     */
    int slots() {
        return offsets.length;
    }

    /**
     * Grows the slots to at least a count; slots keep their ids.
     *
     * @param slots the slot count needed
     */
    void ensureSlots(final int slots) {
        if (slots > offsets.length) {
            final int old = offsets.length;
            offsets = Arrays.copyOf(offsets, slots);
            Arrays.fill(offsets, old, slots, NO_ID);
        }
    }

    /** Forgets every id, keeping the allocated arrays. */
    void clear() {
        Arrays.fill(offsets, NO_ID);
        Arrays.fill(buckets, EMPTY);
        arenaUsed = 0;
        garbageBytes = 0;
        size = 0;
    }

    /**
     * Heap bytes of the arrays as allocated (spare capacity included): arena, offsets and buckets.
     *
     * @return the bytes
     */
    long bytes() {
        return arena.length + 4L * offsets.length + 4L * buckets.length;
    }

    /** Arena bytes of removed ids not yet compacted away (tests). */
    int garbageBytes() {
        return garbageBytes;
    }

    /** The bucket that holds an id's slot, or -1. */
    private int find(final byte[] key) {
        int bucket = home(key, 0, key.length);
        while (true) {
            final int slot = buckets[bucket];
            if (slot == EMPTY) {
                return -1;
            }
            final int start = offsets[slot];
            final int length = readLength(start);
            final int from = start + lengthBytes(length);
            if (length == key.length && Arrays.equals(arena, from, from + length, key, 0, length)) {
                return bucket;
            }
            bucket = next(bucket);
        }
    }

    /**
     * Empties a bucket, moving later entries of its probe run back so that every entry stays reachable from its
     * home bucket without tombstones (Knuth's algorithm R for linear probing).
     */
    private void shiftBack(final int emptied) {
        int hole = emptied;
        int bucket = emptied;
        while (true) {
            bucket = next(bucket);
            final int slot = buckets[bucket];
            if (slot == EMPTY) {
                break;
            }
            final int home = homeOfSlot(slot);
            // The entry may fill the hole unless its home lies cyclically in (hole, bucket].
            final boolean homeBetween = hole <= bucket ? hole < home && home <= bucket : hole < home || home <= bucket;
            if (!homeBetween) {
                buckets[hole] = slot;
                hole = bucket;
            }
        }
        buckets[hole] = EMPTY;
    }

    private void rehash(final int length) {
        final int[] old = buckets;
        buckets = new int[length];
        Arrays.fill(buckets, EMPTY);
        for (final int slot : old) {
            if (slot != EMPTY) {
                int bucket = homeOfSlot(slot);
                while (buckets[bucket] != EMPTY) {
                    bucket = next(bucket);
                }
                buckets[bucket] = slot;
            }
        }
    }

    /** Writes an entry at the end of the arena (growing or compacting it first), returning its offset. */
    private int append(final byte[] key) {
        final int entry = lengthBytes(key.length) + key.length;
        if ((long) arenaUsed + entry > arena.length) {
            final long live = (long) arenaUsed - garbageBytes;
            if (live + entry > MAX_ARENA) {
                throw new IllegalStateException("The ids of a shard's " + size + " rows take over " + MAX_ARENA
                        + " bytes; spread the features over more partitions");
            }
            if (garbageBytes > 0 && (garbageBytes >= live || arenaUsed + (long) entry > MAX_ARENA)) {
                compact((int) live + entry);
            } else {
                arena = ArrayUtil.grow(arena, arenaUsed + entry);
            }
        }
        final int start = arenaUsed;
        int at = start;
        int length = key.length;
        // The byte count, 7 bits a byte, low bits first; most ids take one byte.
        while (length >= 0x80) {
            arena[at++] = (byte) (length & 0x7F | 0x80);
            length >>>= 7;
        }
        arena[at++] = (byte) length;
        System.arraycopy(key, 0, arena, at, key.length);
        arenaUsed = at + key.length;
        return start;
    }

    /** Copies the live entries into a fresh arena with room for {@code needed} bytes, dropping removed ids' bytes. */
    private void compact(final int needed) {
        final byte[] fresh = new byte[ArrayUtil.oversize(needed, 1)];
        int used = 0;
        for (int slot = 0; slot < offsets.length; slot++) {
            final int start = offsets[slot];
            if (start != NO_ID) {
                final int length = entryEnd(start) - start;
                System.arraycopy(arena, start, fresh, used, length);
                offsets[slot] = used;
                used += length;
            }
        }
        arena = fresh;
        arenaUsed = used;
        garbageBytes = 0;
    }

    private int homeOfSlot(final int slot) {
        final int start = offsets[slot];
        final int length = readLength(start);
        return home(arena, start + lengthBytes(length), length);
    }

    /** The hash's 32 bits scaled to the table length (multiply-shift), so any length works. */
    private int home(final byte[] bytes, final int offset, final int length) {
        return (int) (((hash.hash(bytes, offset, length) & 0xFFFFFFFFL) * buckets.length) >>> 32);
    }

    private int next(final int bucket) {
        return bucket + 1 == buckets.length ? 0 : bucket + 1;
    }

    private int readLength(final int start) {
        int length = 0;
        int shift = 0;
        int at = start;
        byte b;
        do {
            b = arena[at++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        return length;
    }

    private int entryEnd(final int start) {
        final int length = readLength(start);
        return start + lengthBytes(length) + length;
    }

    private static int lengthBytes(final int length) {
        return length < 1 << 7 ? 1 : length < 1 << 14 ? 2 : length < 1 << 21 ? 3 : length < 1 << 28 ? 4 : 5;
    }

    /** Buckets for a row count at most 3/4 full. */
    private static int bucketsFor(final int rows) {
        return (int) Math.min(MAX_BUCKETS, Math.max(MIN_BUCKETS, (4L * rows + 2) / 3 + 1));
    }
}
