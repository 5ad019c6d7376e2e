package io.npid.schemas.serde;

import io.npid.schemas.serde.SchemaDecodeException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one Avro event type using Avro single-object encoding: the marker C3 01, the writer schema's
 * 64-bit fingerprint (little-endian), then the binary body.
 *
 * <p>Encoding goes through the generated class's own {@code BinaryMessageEncoder}, so payloads are byte-for-byte
 * what {@code toByteBuffer()} writes, and {@code fromByteBuffer()} reads them. Decoding resolves the writer schema
 * by fingerprint (the reader's own, an older version listed in a {@link SchemaHistory}, or, for a newer writer, a
 * schema registered in the {@code schemas} topic and found through {@link WriterSchemas}) and reads the body with
 * the class's {@code SpecificData} model, as the generated decoder does, but through a {@link BoundedDecoder} so a
 * corrupt length prefix cannot make it allocate gigabytes. A null value (a tombstone on a compacted topic)
 * encodes to null and decodes to null. A payload that cannot be decoded raises {@link SchemaDecodeException}
 * with a typed reason; nothing else escapes the deserializer.
 *
 * <p>Instances are immutable and thread-safe (Avro keeps its buffers in thread-locals).
 *
 * @param <T> the event type
 *
 * <p>Why one file of this length: encoding, decoding and the decode errors of one single-object format, kept together
 * so the wire format is read in one place.
 */
public final class EventSerde<T> implements Serde<T> {

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_BYTES = 10;

    private final String typeName;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final SchemaHistory history;
    /** One reader per known writer fingerprint: the reader's own schema and its listed versions. */
    private final Map<Long, DatumReader<T>> readers;
    /** Readers of writer schemas learned at run time (newer writers), by fingerprint. */
    private final Map<Long, DatumReader<T>> learned = new ConcurrentHashMap<>();

    private final BiFunction<Schema, Schema, DatumReader<T>> readerFactory;

    private EventSerde(
            final Schema schema,
            final BinaryMessageEncoder<T> encoder,
            final BiFunction<Schema, Schema, DatumReader<T>> readerFactory,
            final SchemaHistory history) {
        this.typeName = schema.getFullName();
        this.schema = schema;
        this.encoder = encoder;
        this.history = history;
        this.readerFactory = readerFactory;
        final Map<Long, DatumReader<T>> map = new HashMap<>();
        for (final Schema writer : history.versionsOf(typeName)) {
            map.put(SchemaHistory.fingerprint(writer), readerFactory.apply(writer, schema));
        }
        map.put(SchemaHistory.fingerprint(schema), readerFactory.apply(schema, schema));
        this.readers = Map.copyOf(map);
    }

    /**
     * The serde of a generated event class that also reads the retired versions in {@link SchemaHistory#retired()}.
     *
     * @param type a generated class, e.g. {@code ImageEvent.class}
     * @param <T> the event type
     * @return the serde
     * @throws IllegalArgumentException if the class is not an Avro-generated record class
     */
    public static <T extends SpecificRecord> EventSerde<T> of(final Class<T> type) {
        return of(type, SchemaHistory.retired());
    }

    /**
     * The serde of a generated event class whose reader also accepts the given writer versions.
     *
     * @param type a generated class, e.g. {@code ImageEvent.class}
     * @param history writer schemas to accept besides the class's own
     * @param <T> the event type
     * @return the serde
     * @throws IllegalArgumentException if the class is not an Avro-generated record class
     */
    public static <T extends SpecificRecord> EventSerde<T> of(final Class<T> type, final SchemaHistory history) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(history, "history");
        try {
            final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            final Schema schema =
                    (Schema) lookup.findStatic(type, "getClassSchema", MethodType.methodType(Schema.class))
                            .invoke();
            final MethodHandle getEncoder =
                    lookup.findStatic(type, "getEncoder", MethodType.methodType(BinaryMessageEncoder.class));
            @SuppressWarnings("unchecked")
            final BinaryMessageEncoder<T> encoder = (BinaryMessageEncoder<T>) getEncoder.invoke();
            // getForClass returns the generated class's own MODEL$, with its conversions.
            final SpecificData model = SpecificData.getForClass(type);
            return new EventSerde<>(
                    schema, encoder, (writer, reader) -> new SpecificDatumReader<>(writer, reader, model), history);
        } catch (final NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException(
                    type.getName() + " is not an Avro-generated record class "
                            + "(it needs getClassSchema and getEncoder)",
                    e);
        } catch (final RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IllegalStateException("Cannot build the serde of " + type.getName(), t);
        }
    }

    /**
     * A serde of generic records with the given reader schema, for tools and schema-evolution checks.
     *
     * @param readerSchema the record schema to read into and write with
     * @param history other writer schemas to accept
     * @return the serde
     */
    public static EventSerde<GenericRecord> generic(final Schema readerSchema, final SchemaHistory history) {
        final GenericData model = GenericData.get();
        return new EventSerde<>(
                readerSchema,
                new BinaryMessageEncoder<>(model, readerSchema),
                (writer, reader) -> new GenericDatumReader<>(writer, reader, model),
                history);
    }

    /**
     * The reader (and writer) schema.
     *
     * @return the schema
     */
    public Schema schema() {
        return schema;
    }

    /**
     * The fingerprint this serde writes.
     *
     * @return the writer schema's fingerprint
     */
    public long fingerprint() {
        return SchemaHistory.fingerprint(schema);
    }

    /**
     * Encodes a record as a single-object payload.
     *
     * @param record the record, or null for a tombstone
     * @return the payload, or null when the record is null
     * @throws SerializationException if the record cannot be encoded, e.g. a required field is null
     */
    public byte[] encode(final T record) {
        if (record == null) {
            return null;
        }
        try {
            final ByteBuffer buffer = encoder.encode(record);
            final byte[] array = buffer.array();
            if (buffer.arrayOffset() == 0 && buffer.position() == 0 && buffer.remaining() == array.length) {
                return array;
            }
            final byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            return copy;
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + typeName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a single-object payload.
     *
     * @param payload the payload, or null for a tombstone
     * @return the record, or null when the payload is null
     * @throws SchemaDecodeException if the payload is empty, has a bad header, an unknown fingerprint, or a
     *     truncated or corrupt body
     */
    public T decode(final byte[] payload) {
        if (payload == null) {
            return null;
        }
        if (payload.length == 0) {
            throw failure(Reason.EMPTY_PAYLOAD, "the value has zero bytes (a tombstone is null, not empty)", null);
        }
        if (payload.length < HEADER_BYTES) {
            throw failure(
                    Reason.CORRUPT_HEADER,
                    "the value has " + payload.length + " bytes, fewer than the 10-byte single-object header",
                    null);
        }
        if (payload[0] != MARKER_0 || payload[1] != MARKER_1) {
            throw failure(
                    Reason.CORRUPT_HEADER,
                    String.format(
                            "the value starts with 0x%02X 0x%02X, not the single-object marker 0xC3 0x01",
                            payload[0], payload[1]),
                    null);
        }
        final long fingerprint =
                ByteBuffer.wrap(payload, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        DatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            reader = learnedReader(fingerprint);
        }
        final BoundedDecoder in = new BoundedDecoder(payload, HEADER_BYTES);
        final T record;
        try {
            record = reader.read(null, in);
        } catch (final IOException | RuntimeException e) {
            if (hasCause(e, EOFException.class)) {
                throw failure(
                        Reason.TRUNCATED_BODY,
                        "the " + payload.length + "-byte payload ended before the " + "record was complete ("
                                + rootMessage(e) + ")",
                        e);
            }
            throw failure(Reason.CORRUPT_BODY, "the body is not a valid record: " + rootMessage(e), e);
        }
        if (in.remaining() > 0) {
            throw failure(Reason.CORRUPT_BODY, in.remaining() + " bytes are left after the record", null);
        }
        return record;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> encode(data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> decode(data);
    }

    @Override
    public String toString() {
        return "EventSerde[" + typeName + String.format(", fingerprint=%016x]", fingerprint());
    }

    /**
     * The reader of a writer schema this build does not ship, looked up in {@link WriterSchemas}: a newer
     * writer's schema, resolved to this reader's (fields it added are skipped, fields it lacks take defaults).
     */
    private DatumReader<T> learnedReader(final long fingerprint) {
        final DatumReader<T> known = learned.get(fingerprint);
        if (known != null) {
            return known;
        }
        final Schema writer = WriterSchemas.find(fingerprint).orElseThrow(() -> unknownFingerprint(fingerprint));
        if (!writer.getFullName().equals(typeName)) {
            throw failure(
                    Reason.UNKNOWN_SCHEMA,
                    String.format(
                            "schema fingerprint %016x is registered for %s, " + "not for this reader's type",
                            fingerprint, writer.getFullName()),
                    null);
        }
        final SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(schema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw failure(
                    Reason.UNKNOWN_SCHEMA,
                    String.format(
                            "the registered writer schema %016x cannot be " + "read as this version of %s: %s",
                            fingerprint, typeName, compatibility.getDescription()),
                    null);
        }
        return learned.computeIfAbsent(fingerprint, fp -> readerFactory.apply(writer, schema));
    }

    private SchemaDecodeException unknownFingerprint(final long fingerprint) {
        final Set<String> known = new TreeSet<>();
        readers.keySet().forEach(fp -> known.add(String.format("%016x", fp)));
        final String what = history.describe(fingerprint)
                .map(name -> "; it belongs to " + name)
                .orElse("; it is no event schema this build knows nor one registered in the schemas topic "
                        + "(not an npid payload, or a writer that did not register its schema)");
        return failure(
                Reason.UNKNOWN_SCHEMA,
                String.format("schema fingerprint %016x is not one this reader knows %s%s", fingerprint, known, what),
                null);
    }

    private SchemaDecodeException failure(final Reason reason, final String detail, final Throwable cause) {
        return new SchemaDecodeException(typeName, reason, detail, cause);
    }

    private static boolean hasCause(final Throwable error, final Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(final Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
}
