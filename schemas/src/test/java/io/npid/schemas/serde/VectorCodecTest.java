package io.npid.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.npid.schemas.TestEvents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class VectorCodecTest {

    @Test
    void shouldEncodeFloat32LittleEndian() {
        final ByteBuffer bytes = VectorCodec.encode(new float[] {1.0f, -2.5f});
        assertEquals(8, bytes.remaining());
        // 1.0f = 0x3F800000, -2.5f = 0xC0200000, least significant byte first.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0}, bytes.array());
    }

    @Test
    void shouldRoundTripExactly() {
        final float[] vector = TestEvents.unitVector(128, 5);
        vector[3] = Float.MIN_VALUE;
        vector[4] = -0.0f;
        assertArrayEquals(vector, VectorCodec.decode(VectorCodec.encode(vector)));
    }

    @Test
    void shouldDecodeFromPositionWithoutMovingIt() {
        final ByteBuffer buffer = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putFloat(9f).putFloat(1f).putFloat(2f).position(4);
        assertArrayEquals(new float[] {1f, 2f}, VectorCodec.decode(buffer));
        assertEquals(4, buffer.position());
    }

    @Test
    void shouldDecodeIntoARowOfAMatrix() {
        final float[] matrix = new float[6];
        VectorCodec.decodeInto(VectorCodec.encode(new float[] {4f, 5f, 6f}), matrix, 3);
        assertArrayEquals(new float[] {0, 0, 0, 4f, 5f, 6f}, matrix);
        assertArrayEquals(new float[] {5f, 6f}, VectorCodec.decode(VectorCodec.encode(matrix, 4, 2)));
    }

    @Test
    void shouldRejectALengthThatIsNotAMultipleOfFour() {
        final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> VectorCodec.decode(ByteBuffer.wrap(new byte[7])));
        assertEquals("A vector of 7 bytes is not a whole number of float32 values", e.getMessage());
    }

    @Test
    void shouldFindTheFirstNonFiniteValue() {
        assertEquals(-1, VectorCodec.firstNonFinite(new float[] {1f, 2f}));
        assertEquals(1, VectorCodec.firstNonFinite(new float[] {1f, Float.NaN, Float.POSITIVE_INFINITY}));
    }
}
