package io.npid.indexer.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.indexer.knn.Candidate;
import io.npid.indexer.knn.FlatIndex;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class InternalSerdesTest {

    private static final QueryMeta META = new QueryMeta("q-1", 200, 12, null, 1000, 1005);
    private static final List<Candidate> NEIGHBOURS =
            List.of(new Candidate("img-9", 0.75f, 3), new Candidate("ïmg-ü", -0.25f, 0));

    @Test
    void shouldRoundTripAShardRowWithAndWithoutAVector() {
        final ShardRowSerde serde = new ShardRowSerde();
        final ShardRow full = new ShardRow(new float[] {0.5f, -0.5f, 1e-8f}, 4, 99);
        final ShardRow back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", full));
        assertArrayEquals(full.vector(), back.vector());
        assertEquals(4, back.label());
        assertEquals(99, back.modelVersion());

        final ShardRow labelOnly = serde.deserializer().deserialize("t",
                serde.serializer().serialize("t", ShardRow.labelOnly(2)));
        assertNull(labelOnly.vector());
        assertEquals(2, labelOnly.label());
        assertNull(serde.serializer().serialize("t", null), "a tombstone stays a tombstone");
    }

    @Test
    void shouldRoundTripAPartial() {
        final KnnPartialSerde serde = new KnnPartialSerde();
        final KnnPartial partial = new KnnPartial(META, 2, 4, 1234, NEIGHBOURS);
        assertEquals(partial, serde.deserializer().deserialize("t", serde.serializer().serialize("t", partial)));
    }

    @Test
    void shouldRoundTripMergeStateAndHeldQueries() {
        final PendingMergeSerde serde = new PendingMergeSerde();
        final BitSet answered = new BitSet();
        answered.set(0);
        answered.set(130);
        final PendingMerge state = new PendingMerge(new QueryMeta("q", 5, 1, "reply", 2, 3), 200, answered, 17,
                NEIGHBOURS, 5555, -1);
        assertEquals(state, serde.deserializer().deserialize("t", serde.serializer().serialize("t", state)));

        final HeldQuerySerde held = new HeldQuerySerde();
        final HeldQuery query = new HeldQuery(new ShardInput.Query(META, new float[] {1, 0, -1}), 77);
        final HeldQuery back = held.deserializer().deserialize("t", held.serializer().serialize("t", query));
        assertEquals(META, back.query().meta());
        assertEquals(77, back.timestampMs());
        assertTrue(Arrays.equals(query.query().vector(), back.query().vector()));
    }

    @Test
    void shouldRefuseTruncatedCorruptOrNewerPayloads() {
        final byte[] bytes = KnnPartialSerde.encode(new KnnPartial(META, 0, 1, 2, NEIGHBOURS));
        assertThrows(SerializationException.class,
                () -> KnnPartialSerde.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        final byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(SerializationException.class, () -> KnnPartialSerde.decode(trailing));
        final byte[] newer = bytes.clone();
        newer[0] = 2;
        final SerializationException e = assertThrows(SerializationException.class,
                () -> KnnPartialSerde.decode(newer));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        final byte[] hugeCount = ShardRowSerde.encode(new ShardRow(new float[] {1}, FlatIndex.NO_LABEL, 0));
        hugeCount[hugeCount.length - 5] = 0x7F;
        assertThrows(SerializationException.class, () -> ShardRowSerde.decode(hugeCount));
    }
}
