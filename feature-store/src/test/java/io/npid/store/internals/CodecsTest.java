package io.npid.store.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.store.StoreException;
import io.npid.store.StoredImage;
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
        final StoreException e = assertThrows(StoreException.class,
                () -> ImageCodec.decode("rgb", Arrays.copyOf(stored, stored.length - 1)));
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
    void shouldOrderRowKeysNumerically() {
        final int[] rows = {0, 1, 255, 256, 65_535, 65_536, 16_777_216, Integer.MAX_VALUE};
        for (int i = 1; i < rows.length; i++) {
            assertTrue(Arrays.compareUnsigned(StoreLayout.bankKey(rows[i - 1]), StoreLayout.bankKey(rows[i])) < 0,
                    rows[i - 1] + " < " + rows[i]);
            assertTrue(Arrays.compareUnsigned(StoreLayout.rowToIdKey(rows[i - 1]), StoreLayout.rowToIdKey(rows[i]))
                    < 0);
            assertEquals(rows[i], StoreLayout.readInt(StoreLayout.bankKey(rows[i]), 0));
        }
        assertTrue(Arrays.compareUnsigned(StoreLayout.idToRowKey("zzz"), StoreLayout.rowToIdKey(0)) < 0,
                "the id -> row entries sort before the row -> id entries");
    }
}
