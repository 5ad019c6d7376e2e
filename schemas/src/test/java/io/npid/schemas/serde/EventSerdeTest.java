package io.npid.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.TestEvents;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.serde.SchemaDecodeException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class EventSerdeTest {

    private final EventSerde<ImageEvent> images = EventSerde.of(ImageEvent.class);

    @Test
    void shouldRoundTripEveryEventTypeThroughKafkaSerde() {
        for (final Object event : TestEvents.oneOfEach()) {
            final SpecificRecord record = (SpecificRecord) event;
            final Serde<SpecificRecord> serde = serdeOf(record);
            final byte[] bytes = serde.serializer().serialize("topic", record);
            assertEquals(
                    record,
                    serde.deserializer().deserialize("topic", bytes),
                    "round trip of " + record.getSchema().getName());
        }
    }

    @Test
    void shouldWriteTheSameBytesAsTheGeneratedToByteBuffer() throws Exception {
        for (final Object event : TestEvents.oneOfEach()) {
            final SpecificRecord record = (SpecificRecord) event;
            final ByteBuffer generated =
                    (ByteBuffer) record.getClass().getMethod("toByteBuffer").invoke(record);
            final byte[] expected = new byte[generated.remaining()];
            generated.get(expected);
            assertArrayEquals(
                    expected,
                    serdeOf(record).serializer().serialize("t", record),
                    record.getSchema().getName() + " bytes");
        }
    }

    @Test
    void shouldWritePayloadsTheGeneratedFromByteBufferReads() throws Exception {
        final ImageEvent image = TestEvents.image("img-3", 3);
        assertEquals(image, ImageEvent.fromByteBuffer(ByteBuffer.wrap(images.encode(image))));
        assertEquals(image, images.decode(image.toByteBuffer().array()));
    }

    @Test
    void shouldMapNullToNullForTombstones() {
        assertNull(images.serializer().serialize("t", null));
        assertNull(images.deserializer().deserialize("t", null));
    }

    @Test
    void shouldRejectEmptyPayload() {
        final SchemaDecodeException e = assertThrows(SchemaDecodeException.class, () -> images.decode(new byte[0]));
        assertEquals(Reason.EMPTY_PAYLOAD, e.getReason());
        assertEquals("io.npid.schemas.event.ImageEvent", e.getExpectedType());
    }

    @Test
    void shouldRejectCorruptHeader() {
        final byte[] payload = images.encode(TestEvents.image("a", 1));
        payload[0] = '{';
        final SchemaDecodeException e = assertThrows(SchemaDecodeException.class, () -> images.decode(payload));
        assertEquals(Reason.CORRUPT_HEADER, e.getReason());
        assertTrue(e.getMessage().contains("ImageEvent") && e.getMessage().contains("0x7B"), e.getMessage());
    }

    @Test
    void shouldRejectPayloadShorterThanTheHeader() {
        final byte[] payload = Arrays.copyOf(images.encode(TestEvents.image("a", 1)), 6);
        assertEquals(
                Reason.CORRUPT_HEADER,
                assertThrows(SchemaDecodeException.class, () -> images.decode(payload))
                        .getReason());
    }

    @Test
    void shouldRejectUnknownFingerprintNamingTheOtherType() {
        final byte[] label = EventSerde.of(LabelEvent.class)
                .encode(LabelEvent.newBuilder().setId("x").setLabel(1).build());
        final SchemaDecodeException e = assertThrows(SchemaDecodeException.class, () -> images.decode(label));
        assertEquals(Reason.UNKNOWN_SCHEMA, e.getReason());
        assertEquals("unknown-schema", e.getReason().code());
        assertTrue(e.getMessage().contains("LabelEvent"), "message names the payload's type: " + e.getMessage());
    }

    @Test
    void shouldRejectUnknownFingerprintOfNoKnownSchema() {
        final byte[] payload = images.encode(TestEvents.image("a", 1));
        payload[5] ^= 0x55;
        final SchemaDecodeException e = assertThrows(SchemaDecodeException.class, () -> images.decode(payload));
        assertEquals(Reason.UNKNOWN_SCHEMA, e.getReason());
        assertTrue(e.getMessage().contains("no event schema"), e.getMessage());
    }

    @Test
    void shouldRejectEveryTruncationOfTheBody() {
        final byte[] payload = images.encode(TestEvents.image("img-1", 1));
        for (int length = 10; length < payload.length; length++) {
            final byte[] cut = Arrays.copyOf(payload, length);
            final SchemaDecodeException e = assertThrows(
                    SchemaDecodeException.class, () -> images.decode(cut), "payload cut to " + length + " bytes");
            assertEquals(Reason.TRUNCATED_BODY, e.getReason(), "cut to " + length + ": " + e.getMessage());
        }
    }

    @Test
    void shouldRejectTrailingBytes() {
        final byte[] payload = images.encode(TestEvents.image("img-1", 1));
        final byte[] longer = Arrays.copyOf(payload, payload.length + 3);
        final SchemaDecodeException e = assertThrows(SchemaDecodeException.class, () -> images.decode(longer));
        assertEquals(Reason.CORRUPT_BODY, e.getReason());
        assertTrue(e.getMessage().contains("3 bytes are left"), e.getMessage());
    }

    @Test
    void shouldRejectAHugeLengthPrefixWithoutAllocatingIt() {
        // A 1.5 GB string (the id) or byte array (the pixels) claimed by a 40-byte payload: Avro's own decoder
        // would allocate it first (OutOfMemoryError on small heaps); ours fails on the length.
        final byte[] payload = images.encode(TestEvents.image("img-1", 1));
        final int idAt = 10;
        final int dataAt = idAt + 1 + "img-1".length() + 1;
        for (final int at : new int[] {idAt, dataAt}) {
            final byte[] corrupt = Arrays.copyOf(payload, 40);
            final byte[] length = zigZagVarint(1_500_000_000L);
            System.arraycopy(length, 0, corrupt, at, length.length);
            final SchemaDecodeException e = assertThrows(SchemaDecodeException.class, () -> images.decode(corrupt));
            assertEquals(Reason.TRUNCATED_BODY, e.getReason(), e.getMessage());
            assertTrue(e.getMessage().contains("Length 1500000000 exceeds"), e.getMessage());
        }
    }

    @Test
    void shouldRejectAHugeItemCountWithoutAllocatingIt() {
        final EventSerde<ClassificationResult> results = EventSerde.of(ClassificationResult.class);
        final ClassificationResult result = ClassificationResult.newBuilder()
                .setQueryId("q")
                .setStatus(io.npid.schemas.event.ResultStatus.OK)
                .build();
        final byte[] payload = results.encode(result);
        // queryId (1 + 1 bytes), status (1), label and className union indexes null (1 each), then the scores count.
        final int countAt = 10 + 2 + 1 + 1 + 1;
        final byte[] corrupt = Arrays.copyOf(payload, payload.length + 8);
        final byte[] count = zigZagVarint(1_000_000_000L);
        System.arraycopy(count, 0, corrupt, countAt, count.length);
        final SchemaDecodeException e = assertThrows(SchemaDecodeException.class, () -> results.decode(corrupt));
        assertEquals(Reason.TRUNCATED_BODY, e.getReason(), e.getMessage());
        assertTrue(e.getMessage().contains("Item count 1000000000 exceeds"), e.getMessage());
    }

    @Test
    void shouldOnlyEverThrowSchemaDecodeExceptionOnRandomCorruption() {
        final byte[] payload = images.encode(TestEvents.image("img-1", 1));
        final Random random = new Random(7);
        final Map<Reason, Integer> seen = new EnumMap<>(Reason.class);
        int decoded = 0;
        for (int i = 0; i < 5000; i++) {
            final byte[] corrupt = payload.clone();
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                // Mostly flip the body; header corruption is covered above.
                corrupt[10 + random.nextInt(corrupt.length - 10)] = (byte) random.nextInt(256);
            }
            try {
                images.decode(corrupt);
                decoded++;
            } catch (final SchemaDecodeException e) {
                seen.merge(e.getReason(), 1, Integer::sum);
            }
        }
        assertTrue(decoded > 0 && !seen.isEmpty(), "both outcomes occur: decoded=" + decoded + " " + seen);
    }

    @Test
    void shouldReportAnUnencodableRecordAsSerializationException() {
        final ImageEvent missingImage = TestEvents.image("a", 1);
        missingImage.setImage(null);
        final SerializationException e = assertThrows(
                SerializationException.class, () -> images.serializer().serialize("npid.images", missingImage));
        assertTrue(e.getMessage().contains("ImageEvent"), e.getMessage());
    }

    @Test
    void shouldRefuseAClassThatIsNotGenerated() {
        assertThrows(IllegalArgumentException.class, () -> EventSerde.of(NotGenerated.class));
    }

    @SuppressWarnings("unchecked")
    private static Serde<SpecificRecord> serdeOf(final SpecificRecord record) {
        return (Serde<SpecificRecord>) (Serde<?>) EventSerde.of(record.getClass());
    }

    private static byte[] zigZagVarint(final long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((zigZag & ~0x7FL) != 0) {
            out.write((int) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        out.write((int) zigZag);
        return out.toByteArray();
    }

    /** A SpecificRecord that lacks the generated static methods. */
    abstract static class NotGenerated implements SpecificRecord {}
}
