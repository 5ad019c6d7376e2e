package io.npid.indexer.internals;

import java.util.BitSet;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link PendingMerge}, the value of the merge store and its changelog: version byte 3, query metadata,
 * partition count, answered partitions (bit set as longs), labelled rows, times, then the neighbours as in
 * {@link KnnPartialSerde} (versions 1, with int labels, and 2, without request ids, still decode).
 */
public final class PendingMergeSerde implements Serde<PendingMerge> {

    @Override
    public Serializer<PendingMerge> serializer() {
        return (topic, state) -> state == null ? null : encode(state);
    }

    @Override
    public Deserializer<PendingMerge> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(final PendingMerge state) {
        final CompactWriter out = new CompactWriter(96 + state.neighbours().size() * 32);
        out.writeByte(KnnPartialSerde.VERSION);
        state.query().writeTo(out);
        out.writeInt(state.partitionsTotal());
        final long[] words = state.answered().toLongArray();
        out.writeInt(words.length);
        for (final long word : words) {
            out.writeLong(word);
        }
        out.writeInt(state.labelledRows()).writeLong(state.firstPartialMs()).writeLong(state.answeredMs());
        KnnPartialSerde.writeNeighbours(out, state.neighbours());
        return out.toByteArray();
    }

    static PendingMerge decode(final byte[] bytes) {
        final CompactReader in = new CompactReader(bytes, "merge state");
        final int version = in.readVersion(KnnPartialSerde.INT_LABEL_VERSION, KnnPartialSerde.VERSION);
        final QueryMeta query = QueryMeta.readFrom(in, version == KnnPartialSerde.VERSION);
        final int total = in.readInt();
        final long[] words = new long[in.readCount(Long.BYTES)];
        for (int i = 0; i < words.length; i++) {
            words[i] = in.readLong();
        }
        final int labelledRows = in.readInt();
        final long first = in.readLong();
        final long answered = in.readLong();
        final PendingMerge state = new PendingMerge(
                query,
                total,
                BitSet.valueOf(words),
                labelledRows,
                KnnPartialSerde.readNeighbours(in, version),
                first,
                answered);
        in.expectEnd();
        return state;
    }
}
