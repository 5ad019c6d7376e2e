package io.npid.indexer.internals;

import io.npid.indexer.knn.Candidate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link KnnPartial} on the internal partials topic: version byte 3, query metadata (request id
 * included), partition, partition count, labelled rows, then the neighbours (id, similarity, class name).
 *
 * <p>Older partials (from shards not yet upgraded, or still on the topic) still decode: version 2 had no request
 * id (the query id names the request, as it keyed them); version 1 also carried an int label per neighbour,
 * read as its decimal string as the class name.
 *
 * <p>Hand-written rather than Avro because the topic is internal to the indexer (both ends are this class), and
 * a partial of k=200 neighbours is encoded and decoded once per shard per query.
 */
public final class KnnPartialSerde implements Serde<KnnPartial> {

    /** The version before class names: neighbours carry an int label. */
    static final int INT_LABEL_VERSION = 1;
    /** The version before request ids: the query id named the request. */
    static final int CLASS_NAME_VERSION = 2;
    /** The version written. */
    static final int VERSION = 3;

    private static final int MIN_NEIGHBOUR_BYTES = 12;

    @Override
    public Serializer<KnnPartial> serializer() {
        return (topic, partial) -> partial == null ? null : encode(partial);
    }

    @Override
    public Deserializer<KnnPartial> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(final KnnPartial partial) {
        final CompactWriter out = new CompactWriter(64 + partial.neighbours().size() * 32);
        out.writeByte(VERSION);
        partial.query().writeTo(out);
        out.writeInt(partial.partition()).writeInt(partial.partitionsTotal()).writeInt(partial.labelledRows());
        writeNeighbours(out, partial.neighbours());
        return out.toByteArray();
    }

    static KnnPartial decode(final byte[] bytes) {
        final CompactReader in = new CompactReader(bytes, "kNN partial");
        final int version = in.readVersion(INT_LABEL_VERSION, VERSION);
        final QueryMeta query = QueryMeta.readFrom(in, version == VERSION);
        final int partition = in.readInt();
        final int total = in.readInt();
        final int labelledRows = in.readInt();
        final List<Candidate> neighbours = readNeighbours(in, version);
        in.expectEnd();
        return new KnnPartial(query, partition, total, labelledRows, neighbours);
    }

    static void writeNeighbours(final CompactWriter out, final List<Candidate> neighbours) {
        out.writeInt(neighbours.size());
        for (final Candidate c : neighbours) {
            out.writeString(c.id()).writeFloat(c.similarity()).writeString(c.className());
        }
    }

    static List<Candidate> readNeighbours(final CompactReader in, final int version) {
        final int count = in.readCount(MIN_NEIGHBOUR_BYTES);
        final List<Candidate> neighbours = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final String id = in.readString();
            if (id == null) {
                throw new SerializationException("Corrupt neighbour: no id");
            }
            final float similarity = in.readFloat();
            final String className =
                    version == INT_LABEL_VERSION ? ShardRowSerde.legacyClassName(in.readInt()) : in.readString();
            if (className == null) {
                throw new SerializationException("Corrupt neighbour " + id + ": no class; only labelled rows vote");
            }
            neighbours.add(new Candidate(id, similarity, className));
        }
        return neighbours;
    }
}
