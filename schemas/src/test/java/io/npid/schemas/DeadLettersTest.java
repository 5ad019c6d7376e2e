package io.npid.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.SchemaDecodeException;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private final DeadLetters deadLetters = new DeadLetters("trainer", 4, () -> 42L);

    @Test
    void shouldKeepTheSourceCoordinatesAndTruncateThePayload() {
        final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(
                "npid.images", 3, 99L, DeadLetters.keyBytes("img-5"), new byte[] {1, 2, 3, 4, 5, 6});

        final DeadLetter letter = deadLetters.of(record, "undecodable-image", "Not a PNG or JPEG");

        assertEquals("npid.images", letter.getSourceTopic());
        assertEquals(3, letter.getSourcePartition());
        assertEquals(99L, letter.getSourceOffset());
        assertArrayEquals(DeadLetters.keyBytes("img-5"), bytes(letter.getKey()));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, bytes(letter.getPayload()));
        assertEquals(6, letter.getPayloadSize());
        assertEquals("undecodable-image", letter.getReason());
        assertEquals("Not a PNG or JPEG", letter.getDetail());
        assertEquals("trainer", letter.getProcess());
        assertEquals(42L, letter.getTimestampMs());
    }

    @Test
    void shouldUseTheDecodeReasonCode() {
        final byte[] garbage = {'n', 'o', 't', ' ', 'a', 'v', 'r', 'o', '!', '!', '!'};
        final SchemaDecodeException error = assertThrows(
                SchemaDecodeException.class,
                () -> EventSerde.of(ImageEvent.class).decode(garbage));
        final DeadLetter letter = deadLetters.of(new ConsumerRecord<>("npid.images", 0, 1L, null, garbage), error);

        assertEquals("corrupt-header", letter.getReason());
        assertTrue(letter.getDetail().contains("io.npid.schemas.event.ImageEvent"), letter.getDetail());
        assertNull(letter.getKey());
    }

    @Test
    void shouldCutVeryLongDetailsAndAcceptNullValues() {
        final DeadLetter letter = deadLetters.of("t", -1, -1L, null, null, "corrupt-body", "y".repeat(10_000));
        assertEquals(DeadLetters.MAX_DETAIL_CHARS, letter.getDetail().length());
        assertNull(letter.getPayload());
        assertEquals(-1, letter.getPayloadSize());
    }

    @Test
    void shouldRefuseABlankProcessOrNegativeLimit() {
        assertThrows(IllegalArgumentException.class, () -> new DeadLetters(" "));
        assertThrows(IllegalArgumentException.class, () -> new DeadLetters("indexer", -1, () -> 0L));
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        final byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
