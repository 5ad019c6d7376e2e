package io.npid.indexer.internals;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link ShardRow}, the value of the shard store and its changelog: version byte 1, flags (bit 0: has a
 * vector), label, model version, then the vector's length and values.
 */
public final class ShardRowSerde implements Serde<ShardRow> {

    private static final int VERSION = 1;
    private static final int HAS_VECTOR = 1;

    @Override
    public Serializer<ShardRow> serializer() {
        return (topic, row) -> row == null ? null : encode(row);
    }

    @Override
    public Deserializer<ShardRow> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(final ShardRow row) {
        final float[] vector = row.vector();
        final CompactWriter out = new CompactWriter(24 + (vector == null ? 0 : vector.length * Float.BYTES));
        out.writeByte(VERSION).writeByte(vector == null ? 0 : HAS_VECTOR).writeInt(row.label())
                .writeLong(row.modelVersion());
        if (vector != null) {
            out.writeInt(vector.length);
            for (final float value : vector) {
                out.writeFloat(value);
            }
        }
        return out.toByteArray();
    }

    static ShardRow decode(final byte[] bytes) {
        final CompactReader in = new CompactReader(bytes, "shard row").expectVersion(VERSION);
        final int flags = in.readByte();
        final int label = in.readInt();
        final long modelVersion = in.readLong();
        float[] vector = null;
        if ((flags & HAS_VECTOR) != 0) {
            vector = new float[in.readCount(Float.BYTES)];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = in.readFloat();
            }
        }
        in.expectEnd();
        return new ShardRow(vector, label, modelVersion);
    }
}
