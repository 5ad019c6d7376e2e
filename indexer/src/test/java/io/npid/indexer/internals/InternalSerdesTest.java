package io.npid.indexer.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.indexer.knn.Candidate;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class InternalSerdesTest {

    private static final QueryMeta META = new QueryMeta("q-1", "r-1", 200, 12, null, 1000, 1005);
    /** {@link #META} read from a version before request ids: the query id names the request. */
    private static final QueryMeta OLD_META = new QueryMeta("q-1", "q-1", 200, 12, null, 1000, 1005);

    private static final List<Candidate> NEIGHBOURS =
            List.of(new Candidate("img-9", 0.75f, "3"), new Candidate("ïmg-ü", -0.25f, "sac à main"));

    @Test
    void shouldRoundTripAShardRowWithAndWithoutAVector() {
        final ShardRowSerde serde = new ShardRowSerde();
        final ShardRow full = new ShardRow(new float[] {0.5f, -0.5f, 1e-8f}, "ankle boot", 99);
        final ShardRow back =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", full));
        assertArrayEquals(full.vector(), back.vector());
        assertEquals("ankle boot", back.className());
        assertEquals(99, back.modelVersion());

        final ShardRow labelOnly =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", ShardRow.labelOnly("2")));
        assertNull(labelOnly.vector());
        assertEquals("2", labelOnly.className());
        final ShardRow unlabelled = serde.deserializer()
                .deserialize("t", serde.serializer().serialize("t", new ShardRow(new float[] {1}, null, 7)));
        assertNull(unlabelled.className());
        assertNull(serde.serializer().serialize("t", null), "a tombstone stays a tombstone");
    }

    @Test
    void shouldRoundTripAPartial() {
        final KnnPartialSerde serde = new KnnPartialSerde();
        final KnnPartial partial = new KnnPartial(META, 2, 4, 1234, NEIGHBOURS);
        assertEquals(
                partial,
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", partial)));
    }

    @Test
    void shouldRoundTripMergeStateAndHeldQueries() {
        final PendingMergeSerde serde = new PendingMergeSerde();
        final BitSet answered = new BitSet();
        answered.set(0);
        answered.set(130);
        final PendingMerge state =
                new PendingMerge(new QueryMeta("q", "r", 5, 1, "reply", 2, 3), 200, answered, 17, NEIGHBOURS, 5555, -1);
        assertEquals(
                state, serde.deserializer().deserialize("t", serde.serializer().serialize("t", state)));

        final HeldQuerySerde held = new HeldQuerySerde();
        final HeldQuery query = new HeldQuery(new ShardInput.Query(META, new float[] {1, 0, -1}), 77);
        final HeldQuery back =
                held.deserializer().deserialize("t", held.serializer().serialize("t", query));
        assertEquals(META, back.query().meta());
        assertEquals(77, back.timestampMs());
        assertTrue(Arrays.equals(query.query().vector(), back.query().vector()));
    }

    @Test
    void shouldRefuseTruncatedCorruptOrNewerPayloads() {
        final byte[] bytes = KnnPartialSerde.encode(new KnnPartial(META, 0, 1, 2, NEIGHBOURS));
        assertThrows(
                SerializationException.class, () -> KnnPartialSerde.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        final byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(SerializationException.class, () -> KnnPartialSerde.decode(trailing));
        final byte[] newer = bytes.clone();
        newer[0] = 4;
        final SerializationException e =
                assertThrows(SerializationException.class, () -> KnnPartialSerde.decode(newer));
        assertTrue(e.getMessage().contains("version 4"), e.getMessage());
        final byte[] hugeCount = ShardRowSerde.encode(new ShardRow(new float[] {1}, null, 0));
        hugeCount[hugeCount.length - 5] = 0x7F;
        assertThrows(SerializationException.class, () -> ShardRowSerde.decode(hugeCount));
    }

    /**
     * Version 1 (before class names) wrote an int label where version 2 writes the name; such records stay in the
     * shard store's changelog, the merge store's changelog and on the partials topic across an upgrade. They are
     * written here field by field as the version 1 serdes did.
     */
    @Test
    void shouldDecodeVersionOneShardRowsWithTheirLabelsAsDecimalNames() {
        final byte[] labelled = new CompactWriter(32)
                .writeByte(1)
                .writeByte(1)
                .writeInt(7)
                .writeLong(42)
                .writeInt(2)
                .writeFloat(0.6f)
                .writeFloat(0.8f)
                .toByteArray();
        final ShardRow row = ShardRowSerde.decode(labelled);
        assertEquals("7", row.className());
        assertEquals(42, row.modelVersion());
        assertArrayEquals(new float[] {0.6f, 0.8f}, row.vector());

        final byte[] unlabelled = new CompactWriter(32)
                .writeByte(1)
                .writeByte(1)
                .writeInt(-1)
                .writeLong(3)
                .writeInt(1)
                .writeFloat(1f)
                .toByteArray();
        assertNull(ShardRowSerde.decode(unlabelled).className(), "version 1's -1 was no label");

        final byte[] labelOnly = new CompactWriter(16)
                .writeByte(1)
                .writeByte(0)
                .writeInt(0)
                .writeLong(-1)
                .toByteArray();
        assertEquals(
                ShardRow.labelOnly("0").className(),
                ShardRowSerde.decode(labelOnly).className());
        assertNull(ShardRowSerde.decode(labelOnly).vector());
    }

    @Test
    void shouldDecodeVersionOnePartialsAndMergeStatesWithTheirLabelsAsDecimalNames() {
        final CompactWriter partial = new CompactWriter(64).writeByte(1);
        writeMetaWithoutRequestId(partial);
        partial.writeInt(1).writeInt(3).writeInt(500);
        writeVersionOneNeighbours(partial);
        final KnnPartial decoded = KnnPartialSerde.decode(partial.toByteArray());
        assertEquals(
                new KnnPartial(
                        OLD_META,
                        1,
                        3,
                        500,
                        List.of(new Candidate("img-9", 0.75f, "3"), new Candidate("img-2", 0.5f, "0"))),
                decoded);

        final CompactWriter merge = new CompactWriter(64).writeByte(1);
        writeMetaWithoutRequestId(merge);
        merge.writeInt(2)
                .writeInt(1)
                .writeLong(0b11)
                .writeInt(40)
                .writeLong(5555)
                .writeLong(-1);
        writeVersionOneNeighbours(merge);
        final PendingMerge state = PendingMergeSerde.decode(merge.toByteArray());
        assertEquals(
                List.of(new Candidate("img-9", 0.75f, "3"), new Candidate("img-2", 0.5f, "0")), state.neighbours());
        assertEquals(2, state.partitionsAnswered());
        assertEquals(40, state.labelledRows());
        assertEquals(OLD_META, state.query());
    }

    /**
     * Version 2 partials and merge states and version 1 held queries had no request id: the query id keyed them,
     * so it names their request.
     */
    @Test
    void shouldNameTheRequestOfRecordsFromBeforeRequestIdsByTheirQueryId() {
        final CompactWriter partial = new CompactWriter(64).writeByte(2);
        writeMetaWithoutRequestId(partial);
        partial.writeInt(0).writeInt(1).writeInt(5);
        KnnPartialSerde.writeNeighbours(partial, NEIGHBOURS);
        assertEquals(new KnnPartial(OLD_META, 0, 1, 5, NEIGHBOURS), KnnPartialSerde.decode(partial.toByteArray()));

        final CompactWriter held = new CompactWriter(64).writeByte(1).writeLong(77);
        writeMetaWithoutRequestId(held);
        held.writeInt(1).writeFloat(1f);
        final HeldQuery query = HeldQuerySerde.decode(held.toByteArray());
        assertEquals(OLD_META, query.query().meta());
        assertEquals("q-1", query.query().meta().requestId());
    }

    /** {@link #META} as versions before request ids wrote it. */
    private static void writeMetaWithoutRequestId(final CompactWriter out) {
        out.writeString("q-1")
                .writeInt(200)
                .writeLong(12)
                .writeString(null)
                .writeLong(1000)
                .writeLong(1005);
    }

    private static void writeVersionOneNeighbours(final CompactWriter out) {
        out.writeInt(2);
        out.writeString("img-9").writeFloat(0.75f).writeInt(3);
        out.writeString("img-2").writeFloat(0.5f).writeInt(0);
    }
}
