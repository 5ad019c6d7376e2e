package io.npid.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.TestEvents;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.serde.SchemaDecodeException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Old readers, new writers: an ImageEvent written with a newer schema (one defaulted field added) is read by this
 * build's reader once the writer's schema can be looked up (as the schemas topic provides), and only then.
 */
class ForwardCompatibilityTest {

    /** ImageEvent as a newer build might write it: one more field, with a default. */
    static final Schema IMAGE_EVENT_NEXT = withExtraField(ImageEvent.getClassSchema(), "camera");

    @Test
    void shouldDeadLetterANewerWritersRecordWhenItsSchemaIsNowhere() {
        // Its own field name: a schema another test registered stays learned for the rest of the JVM.
        final byte[] written =
                writeNewer(TestEvents.image("img-1", 1), withExtraField(ImageEvent.getClassSchema(), "lens"));

        final SchemaDecodeException e = assertThrows(
                SchemaDecodeException.class,
                () -> EventSerde.of(ImageEvent.class).decode(written));

        assertEquals(Reason.UNKNOWN_SCHEMA, e.getReason());
    }

    @Test
    void shouldReadANewerWritersRecordOnceItsSchemaIsRegistered() throws Exception {
        final ImageEvent event = TestEvents.image("img-2", 2);
        final byte[] written = writeNewer(event);
        final EventSerde<ImageEvent> oldReader = EventSerde.of(ImageEvent.class);

        try (AutoCloseable installed =
                WriterSchemas.install(source(Map.of(SchemaHistory.fingerprint(IMAGE_EVENT_NEXT), IMAGE_EVENT_NEXT)))) {
            assertEquals(event, oldReader.decode(written), "the added field is skipped, the rest read as written");
        }
    }

    @Test
    void shouldRefuseARegisteredSchemaOfAnotherType() throws Exception {
        final Schema labelNext = withExtraField(LabelEvent.getClassSchema(), "camera");
        final GenericRecord label = new GenericData.Record(labelNext);
        label.put("id", "img-3");
        label.put("label", 1);
        label.put("timestampMs", 5L);
        label.put("camera", "x");
        final byte[] written =
                EventSerde.generic(labelNext, SchemaHistory.of(List.of())).encode(label);

        try (AutoCloseable installed =
                WriterSchemas.install(source(Map.of(SchemaHistory.fingerprint(labelNext), labelNext)))) {
            final SchemaDecodeException e = assertThrows(
                    SchemaDecodeException.class,
                    () -> EventSerde.of(ImageEvent.class).decode(written));
            assertEquals(Reason.UNKNOWN_SCHEMA, e.getReason());
            assertTrue(e.getMessage().contains("registered for io.npid.schemas.event.LabelEvent"), e.getMessage());
        }
    }

    /**
     * The record written with {@link #IMAGE_EVENT_NEXT}, its new field set.
     *
     * @param event the fields the current schema has
     * @return the single-object payload
     */
    static byte[] writeNewer(final ImageEvent event) {
        return writeNewer(event, IMAGE_EVENT_NEXT);
    }

    private static byte[] writeNewer(final ImageEvent event, final Schema newer) {
        final GenericRecord current = EventSerde.generic(ImageEvent.getClassSchema(), SchemaHistory.of(List.of()))
                .decode(EventSerde.of(ImageEvent.class).encode(event));
        final GenericRecord next = new GenericData.Record(newer);
        for (final Schema.Field field : ImageEvent.getClassSchema().getFields()) {
            next.put(field.name(), current.get(field.name()));
        }
        next.put(newer.getFields().get(newer.getFields().size() - 1).name(), "cam-7");
        return EventSerde.generic(newer, SchemaHistory.of(List.of())).encode(next);
    }

    /**
     * The schema with one more string field, default {@code "unknown"}.
     *
     * @param schema a record schema
     * @param name the new field's name
     * @return the newer schema
     */
    static Schema withExtraField(final Schema schema, final String name) {
        final List<Schema.Field> fields = new ArrayList<>();
        for (final Schema.Field field : schema.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field(name, Schema.create(Schema.Type.STRING), "added by a newer writer", "unknown"));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static WriterSchemaSource source(final Map<Long, Schema> schemas) {
        return fingerprint -> Optional.ofNullable(schemas.get(fingerprint));
    }
}
