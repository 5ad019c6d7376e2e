package io.npid.indexer.internals;

import io.npid.schemas.ClassName;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link ShardRow}, the value of the shard store and its changelog: version byte 2, flags (bit 0: has a
 * vector), class name (null: no label), model version, then the vector's length and values.
 *
 * <p>Version 1 rows (written before class names, still in changelogs and local stores) had an int label in place of
 * the name, -1 for none; they decode with the label's decimal string as the class name, as a legacy label would.
 */
public final class ShardRowSerde implements Serde<ShardRow> {

    private static final int INT_LABEL_VERSION = 1;
    private static final int VERSION = 2;
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
        final CompactWriter out = new CompactWriter(32 + (vector == null ? 0 : vector.length * Float.BYTES));
        out.writeByte(VERSION)
                .writeByte(vector == null ? 0 : HAS_VECTOR)
                .writeString(row.className())
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
        final CompactReader in = new CompactReader(bytes, "shard row");
        final int version = in.readVersion(INT_LABEL_VERSION, VERSION);
        final int flags = in.readByte();
        final String className = version == INT_LABEL_VERSION ? legacyClassName(in.readInt()) : in.readString();
        final long modelVersion = in.readLong();
        float[] vector = null;
        if ((flags & HAS_VECTOR) != 0) {
            vector = new float[in.readCount(Float.BYTES)];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = in.readFloat();
            }
        }
        in.expectEnd();
        return new ShardRow(vector, className, modelVersion);
    }

    /** The class of a version 1 int label: its decimal string, or null for the old "no label" (-1). */
    static String legacyClassName(final int label) {
        return label < 0 ? null : ClassName.ofNumber(label);
    }
}
