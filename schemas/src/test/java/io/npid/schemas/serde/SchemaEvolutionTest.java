package io.npid.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.serde.SchemaDecodeException.Reason;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** A LabelEvent v2 (a defaulted field added) against the generated v1, both ways. */
class SchemaEvolutionTest {

    /** LabelEvent as it might evolve: a confidence with a default, parsed at test time. */
    private static final Schema LABEL_EVENT_V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "LabelEvent", "namespace": "io.npid.schemas.event",
             "fields": [
              {"name": "id", "type": "string"},
              {"name": "label", "type": "int"},
              {"name": "timestampMs", "type": "long", "default": 0},
              {"name": "confidence", "type": "float", "default": 1.0}
             ]}""");

    private final EventSerde<LabelEvent> v1 = EventSerde.of(LabelEvent.class);

    @Test
    void shouldReadWhatTheOlderSchemaWroteWithTheNewFieldsDefault() {
        final byte[] written = v1.encode(LabelEvent.newBuilder()
                .setId("img-7")
                .setLabel(3)
                .setTimestampMs(11)
                .build());
        final EventSerde<GenericRecord> v2Reader =
                EventSerde.generic(LABEL_EVENT_V2, SchemaHistory.of(List.of(LabelEvent.getClassSchema())));

        final GenericRecord read = v2Reader.decode(written);

        assertEquals("img-7", read.get("id").toString());
        assertEquals(3, read.get("label"));
        assertEquals(11L, read.get("timestampMs"));
        assertEquals(1.0f, read.get("confidence"), "the added field takes its default");
    }

    @Test
    void shouldLetAnOlderReaderThatKnowsTheNewSchemaReadNewPayloads() {
        final EventSerde<GenericRecord> v2Writer = EventSerde.generic(LABEL_EVENT_V2, SchemaHistory.of(List.of()));
        final GenericRecord record = new GenericData.Record(LABEL_EVENT_V2);
        record.put("id", "img-8");
        record.put("label", 5);
        record.put("timestampMs", 12L);
        record.put("confidence", 0.25f);
        final byte[] written = v2Writer.encode(record);
        final EventSerde<LabelEvent> v1KnowingV2 =
                EventSerde.of(LabelEvent.class, SchemaHistory.of(List.of(LABEL_EVENT_V2)));

        assertEquals(
                LabelEvent.newBuilder()
                        .setId("img-8")
                        .setLabel(5)
                        .setTimestampMs(12)
                        .build(),
                v1KnowingV2.decode(written));
    }

    @Test
    void shouldGiveTheGeneratedDecoderAStoreOfTheListedVersions() throws Exception {
        final EventSerde<GenericRecord> v2Writer = EventSerde.generic(LABEL_EVENT_V2, SchemaHistory.of(List.of()));
        final GenericRecord record = new GenericData.Record(LABEL_EVENT_V2);
        record.put("id", "img-9");
        record.put("label", 1);
        record.put("timestampMs", 13L);
        record.put("confidence", 0.5f);
        final SchemaHistory history = SchemaHistory.of(List.of(LABEL_EVENT_V2, ImageEvent.getClassSchema()));

        final LabelEvent read = LabelEvent.createDecoder(
                        history.storeFor(LabelEvent.getClassSchema().getFullName()))
                .decode(v2Writer.encode(record));

        assertEquals(
                LabelEvent.newBuilder()
                        .setId("img-9")
                        .setLabel(1)
                        .setTimestampMs(13)
                        .build(),
                read);
        assertEquals(
                List.of(LABEL_EVENT_V2),
                history.versionsOf(LabelEvent.getClassSchema().getFullName()));
    }

    @Test
    void shouldRejectANewerPayloadAsUnknownSchemaWhenTheReaderWasNotTold() {
        final EventSerde<GenericRecord> v2Writer = EventSerde.generic(LABEL_EVENT_V2, SchemaHistory.of(List.of()));
        final GenericRecord record = new GenericData.Record(LABEL_EVENT_V2);
        record.put("id", "img-8");
        record.put("label", 5);
        record.put("timestampMs", 12L);
        record.put("confidence", 0.25f);
        final byte[] written = v2Writer.encode(record);

        assertNotEquals(v1.fingerprint(), v2Writer.fingerprint());
        assertEquals(
                Reason.UNKNOWN_SCHEMA,
                assertThrows(SchemaDecodeException.class, () -> v1.decode(written))
                        .getReason());
    }

    @Test
    void shouldLoadRetiredSchemasFromResources() {
        assertThrows(
                IllegalStateException.class,
                () -> SchemaHistory.fromResources(List.of("io/npid/schemas/history/Missing-v1.avsc")));
        final List<Schema> retired =
                SchemaHistory.retired().versionsOf(LabelEvent.getClassSchema().getFullName());
        assertEquals(1, retired.size());
        assertEquals(null, retired.get(0).getField("className"), "v1 predates class names");
    }

    @Test
    void shouldReadVersionOnePayloadsOfEveryRetiredEventWithoutAClassName() {
        final Schema labelV1 = SchemaHistory.retired()
                .versionsOf(LabelEvent.getClassSchema().getFullName())
                .get(0);
        final GenericRecord label = new GenericData.Record(labelV1);
        label.put("id", "img-3");
        label.put("label", 7);
        label.put("timestampMs", 21L);
        final byte[] written =
                EventSerde.generic(labelV1, SchemaHistory.of(List.of())).encode(label);

        final LabelEvent read = EventSerde.of(LabelEvent.class).decode(written);

        assertEquals(
                LabelEvent.newBuilder()
                        .setId("img-3")
                        .setLabel(7)
                        .setTimestampMs(21)
                        .build(),
                read);
        assertEquals(null, read.getClassName());
        for (final Class<?> type : List.of(ImageEvent.class, FeatureEvent.class)) {
            final String name = type.getName();
            assertEquals(1, SchemaHistory.retired().versionsOf(name).size(), name + " keeps its v1 reader");
        }
        assertEquals(
                2,
                SchemaHistory.retired()
                        .versionsOf(ClassificationResult.class.getName())
                        .size(),
                "ClassificationResult keeps its v1 and v2 readers");
    }

    @Test
    void shouldReadQueriesAndResultsWrittenBeforeRequestIdsWithoutOne() {
        for (final Class<?> type : List.of(QueryEvent.class, QueryVector.class, ClassificationResult.class)) {
            final boolean retiredWithoutRequestId = SchemaHistory.retired().versionsOf(type.getName()).stream()
                    .anyMatch(schema -> schema.getField("requestId") == null && schema.getField("replyKey") != null);
            assertEquals(
                    true, retiredWithoutRequestId, type.getName() + " keeps the reader of its pre-requestId version");
        }
        final Schema vectorV1 =
                SchemaHistory.retired().versionsOf(QueryVector.class.getName()).get(0);
        final GenericRecord vector = new GenericData.Record(vectorV1);
        vector.put("queryId", "q-1");
        vector.put("vector", java.nio.ByteBuffer.wrap(new byte[8]));
        vector.put("modelVersion", 3L);
        vector.put("k", 5);
        vector.put("replyKey", null);
        vector.put("queryTimestampMs", 1L);
        vector.put("embeddedTimestampMs", 2L);

        final QueryVector read = EventSerde.of(QueryVector.class)
                .decode(EventSerde.generic(vectorV1, SchemaHistory.of(List.of()))
                        .encode(vector));

        assertEquals("q-1", read.getQueryId());
        assertEquals(null, read.getRequestId(), "an old vector has no request id; the indexer derives one");
    }

    /** A checkpoint from a trainer before settings were published reads with empty settings, and the other way. */
    @Test
    void shouldReadCheckpointsWithAndWithoutSettingsBothWays() {
        final Schema v1 = SchemaHistory.retired()
                .versionsOf(ModelCheckpoint.class.getName())
                .get(0);
        assertEquals(null, v1.getField("settings"), "v1 predates the settings");
        final GenericRecord old = new GenericData.Record(v1);
        old.put("modelName", "npid");
        old.put("version", 4L);
        old.put("backbone", "small");
        old.put("step", 40L);
        old.put("config", Map.of("low.dim", "64"));
        old.put("parameters", ByteBuffer.wrap(new byte[] {1, 2}));
        old.put("timestampMs", 9L);

        final ModelCheckpoint read = EventSerde.of(ModelCheckpoint.class)
                .decode(EventSerde.generic(v1, SchemaHistory.of(List.of())).encode(old));
        assertEquals(4L, read.getVersion());
        assertEquals(Map.of(), read.getSettings(), "an old trainer's checkpoint has no settings");

        final ModelCheckpoint current = ModelCheckpoint.newBuilder()
                .setModelName("npid")
                .setVersion(5L)
                .setBackbone("small")
                .setStep(50L)
                .setConfig(Map.of())
                .setParameters(ByteBuffer.wrap(new byte[1]))
                .setSettings(Map.of("npid.low.dim", "64"))
                .build();
        final GenericRecord readByV1 = EventSerde.generic(
                        v1, SchemaHistory.of(List.of(ModelCheckpoint.getClassSchema())))
                .decode(EventSerde.of(ModelCheckpoint.class).encode(current));
        assertEquals(5L, readByV1.get("version"), "an old reader that knows the new schema skips the settings");
    }
}
