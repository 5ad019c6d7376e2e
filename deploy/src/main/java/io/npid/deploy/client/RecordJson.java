package io.npid.deploy.client;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.serde.SchemaDecodeException;
import io.npid.schemas.serde.VectorCodec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record of an npid topic as a JSON-ready map: where it is (partition, offset, time), its key and its decoded
 * value, field by field in the schema's order.
 *
 * <p>Large fields are summarised unless {@code full}: a float32 vector ({@code vector} of features and query
 * vectors) as its dimension and norm, other bytes (image data, checkpoint parameters, a dead letter's payload) as
 * their length; with {@code full}, vectors are listed and bytes given in base64. A value that does not decode is
 * shown with the decoder's reason instead, so one bad record never stops a tail.
 */
public final class RecordJson {
    private final TopicSpec<?, ?> topic;
    private final boolean full;

    /**
     * Creates a decoder for one topic.
     *
     * @param topic the topic, whose value serde decodes the records
     * @param full list vectors and give bytes in base64 instead of summarising them
     */
    public RecordJson(final TopicSpec<?, ?> topic, final boolean full) {
        this.topic = topic;
        this.full = full;
    }

    /**
     * Decodes a record.
     *
     * @param record a record read as bytes
     * @return partition, offset, timestamp, key and value (or the value's error)
     */
    public Map<String, Object> toMap(final ConsumerRecord<byte[], byte[]> record) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("partition", record.partition());
        out.put("offset", record.offset());
        out.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        out.put("key", key(record.key()));
        if (record.value() == null) {
            out.put("value", null); // a tombstone (compacted topics)
            return out;
        }
        try {
            final Object value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
            out.put("value", value instanceof IndexedRecord r ? recordMap(r) : value);
        } catch (SchemaDecodeException e) {
            final Map<String, Object> error = new LinkedHashMap<>();
            error.put("reason", e.getReason().code());
            error.put("detail", e.getMessage());
            error.put("bytes", record.value().length);
            out.put("undecodable", error);
        }
        return out;
    }

    /** Keys are UTF-8 ids on every npid topic; a dead letter's key is the rejected record's own bytes. */
    static Object key(final byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
        } catch (CharacterCodingException e) {
            return Map.of("base64", Base64.getEncoder().encodeToString(key));
        }
    }

    private Map<String, Object> recordMap(final IndexedRecord record) {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            out.put(field.name(), value(field.name(), record.get(field.pos())));
        }
        return out;
    }

    private Object value(final String name, final Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof GenericEnumSymbol<?>) {
            return value.toString();
        }
        if (value instanceof IndexedRecord r) {
            return recordMap(r);
        }
        if (value instanceof ByteBuffer bytes) {
            if ("key".equals(name)) {
                final byte[] key = new byte[bytes.remaining()];
                bytes.duplicate().get(key);
                return key(key); // a dead letter's key: the rejected record's id, small
            }
            return "vector".equals(name) ? vector(bytes) : bytes(bytes);
        }
        if (value instanceof List<?> list) {
            final List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(value(name, v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            final Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k.toString(), value(name, v)));
            return out;
        }
        return value.toString();
    }

    private Object vector(final ByteBuffer bytes) {
        final float[] v = VectorCodec.decode(bytes.duplicate());
        if (full) {
            final List<Float> out = new ArrayList<>(v.length);
            for (float x : v) {
                out.add(x);
            }
            return out;
        }
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("dim", v.length);
        summary.put("norm", Math.round(Math.sqrt(sum) * 1e6) / 1e6);
        return summary;
    }

    private Object bytes(final ByteBuffer bytes) {
        final ByteBuffer b = bytes.duplicate();
        if (full) {
            final byte[] copy = new byte[b.remaining()];
            b.get(copy);
            return Base64.getEncoder().encodeToString(copy);
        }
        return Map.of("bytes", b.remaining());
    }
}
