package io.npid.indexer.internals;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link HeldQuery}: version byte 2, timestamp, query metadata (request id included), then the vector's
 * length and values; version 1, before request ids, still decodes.
 */
public final class HeldQuerySerde implements Serde<HeldQuery> {

    private static final int NO_REQUEST_ID_VERSION = 1;
    private static final int VERSION = 2;

    @Override
    public Serializer<HeldQuery> serializer() {
        return (topic, held) -> held == null ? null : encode(held);
    }

    @Override
    public Deserializer<HeldQuery> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(final HeldQuery held) {
        final float[] vector = held.query().vector();
        final CompactWriter out = new CompactWriter(96 + vector.length * Float.BYTES);
        out.writeByte(VERSION).writeLong(held.timestampMs());
        held.query().meta().writeTo(out);
        out.writeInt(vector.length);
        for (final float value : vector) {
            out.writeFloat(value);
        }
        return out.toByteArray();
    }

    static HeldQuery decode(final byte[] bytes) {
        final CompactReader in = new CompactReader(bytes, "held query");
        final int version = in.readVersion(NO_REQUEST_ID_VERSION, VERSION);
        final long timestamp = in.readLong();
        final QueryMeta meta = QueryMeta.readFrom(in, version == VERSION);
        final float[] vector = new float[in.readCount(Float.BYTES)];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = in.readFloat();
        }
        in.expectEnd();
        return new HeldQuery(new ShardInput.Query(meta, vector), timestamp);
    }
}
