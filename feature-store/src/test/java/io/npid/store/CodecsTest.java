package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The byte layouts of images, bank vectors and keys; changing them is a schema version change. */
class CodecsTest {
    @Test
    void shouldRoundTripAnImageAndRefuseCorruptBytesNamingTheId() {
        final byte[] pixels = new byte[2 * 3 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 17);
        }
        final StoredImage image = new StoredImage("rgb", pixels, 3, 2, 3, 1_700_000_000_123L);
        final byte[] stored = ImageCodec.encode(image);
        assertEquals(21 + pixels.length, stored.length);
        assertEquals(1, stored[0], "format byte: raw u8 HWC");
        assertEquals(image, ImageCodec.decode("rgb", stored));
        final StoreException e = assertThrows(
                StoreException.class, () -> ImageCodec.decode("rgb", Arrays.copyOf(stored, stored.length - 1)));
        assertTrue(e.getMessage().contains("'rgb'"), e.getMessage());
    }

    @Test
    void shouldStoreVectorsAsFloat32LittleEndian() {
        final float[] v = {0.6f, -0.8f};
        final byte[] bytes = BankVectors.encode(new float[] {9f, 0.6f, -0.8f}, 1, 2);
        assertEquals(0.6f, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat(0));
        assertArrayEquals(v, BankVectors.decode(bytes, 3, 2));
        assertThrows(StoreException.class, () -> BankVectors.decode(bytes, 3, 3));
    }

    @Test
    void shouldConvertEveryFloat16ValueExactlyAndRoundFloatsToTheNearest() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0) {
                continue; // NaNs
            }
            assertEquals(h, BankVectors.toHalf(BankVectors.fromHalf(h)), "half bits " + Integer.toHexString(h));
        }
        assertEquals(0x3C00, BankVectors.toHalf(1f));
        assertEquals(0xC000, BankVectors.toHalf(-2f));
        assertEquals(0x2E66, BankVectors.toHalf(0.1f));
        assertEquals(0x7BFF, BankVectors.toHalf(65504f));
        assertEquals(0x0001, BankVectors.toHalf(0x1p-24f), "smallest subnormal");
        assertEquals(0x3C00, BankVectors.toHalf(1f + 0x1p-11f), "a tie rounds to even");
        assertEquals(0x3C01, BankVectors.toHalf(1f + 0x1p-11f + 0x1p-20f), "above the tie rounds up");
        final java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 100_000; i++) {
            final float x = (float) (random.nextGaussian() * 0.2);
            final float back = BankVectors.fromHalf(BankVectors.toHalf(x));
            // nearest: within half a float16 ulp (2^-11 relative; 2^-25 absolute among subnormals)
            assertTrue(Math.abs(back - x) <= Math.max(Math.abs(x) * 0x1p-11, 0x1p-25), x + " -> " + back);
        }
    }

    @Test
    void shouldStoreFloat16VectorsInHalfTheBytes() {
        final float[] v = {0.6f, -0.8f};
        final byte[] bytes = BankVectors.encode(v, 0, 2, true);
        assertEquals(4, bytes.length);
        assertEquals(
                BankVectors.toHalf(0.6f),
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xFFFF);
        final float[] back = BankVectors.decode(bytes, 3, 2);
        assertEquals(0.6f, back[0], 0.6f * 0x1p-11);
        assertEquals(-0.8f, back[1], 0.8f * 0x1p-11);
        assertThrows(StoreException.class, () -> BankVectors.decode(new byte[6], 3, 2));
    }

    @Test
    void shouldOrderRowKeysNumerically() {
        final int[] rows = {0, 1, 255, 256, 65_535, 65_536, 16_777_216, Integer.MAX_VALUE};
        for (int i = 1; i < rows.length; i++) {
            assertTrue(
                    Arrays.compareUnsigned(StoreLayout.bankKey(rows[i - 1]), StoreLayout.bankKey(rows[i])) < 0,
                    rows[i - 1] + " < " + rows[i]);
            assertTrue(
                    Arrays.compareUnsigned(StoreLayout.rowToIdKey(rows[i - 1]), StoreLayout.rowToIdKey(rows[i])) < 0);
            assertEquals(rows[i], StoreLayout.readInt(StoreLayout.bankKey(rows[i]), 0));
        }
        assertTrue(
                Arrays.compareUnsigned(StoreLayout.idToRowKey("zzz"), StoreLayout.rowToIdKey(0)) < 0,
                "the id -> row entries sort before the row -> id entries");
    }
}
