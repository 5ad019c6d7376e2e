package io.npid.indexer.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlatIndexTest {

    private static float[] vector(final float... values) {
        return values;
    }

    @Test
    void shouldUpdateAnExistingIdInPlace() {
        final FlatIndex index = new FlatIndex(3, 4);
        final int slot = index.put("a", vector(1, 0, 0));
        index.setClassName("a", "bag");

        assertEquals(slot, index.put("a", vector(0, 1, 0)));

        final float[] stored = new float[3];
        index.vectorAt(slot, stored);
        assertArrayEquals(vector(0, 1, 0), stored);
        assertEquals(1, index.size());
        assertEquals("bag", index.classNameAt(slot), "an update keeps the class");
    }

    @Test
    void shouldReuseTheSlotOfARemovedId() {
        final FlatIndex index = new FlatIndex(2, 4);
        index.put("a", vector(1, 0));
        final int freed = index.put("b", vector(0, 1));
        index.setClassName("b", "1");
        index.put("c", vector(1, 1));

        assertTrue(index.remove("b"));
        assertEquals(-1, index.slotOf("b"));
        assertNull(index.idAt(freed));
        assertNull(index.classNameAt(freed));
        assertEquals(0, index.labelledCount());
        assertEquals(0, index.classCount(), "the class of the removed row is forgotten");

        assertEquals(freed, index.put("d", vector(0.5f, 0.5f)), "a new id takes the free slot");
        assertEquals(3, index.slotLimit(), "the index did not grow");
        assertFalse(index.remove("b"));
    }

    @Test
    void shouldGrowAndKeepEverySlotsVectorAndClass() {
        final FlatIndex index = new FlatIndex(5, 1);
        for (int i = 0; i < 1000; i++) {
            index.put("id" + i, vector(i, i + 1, i + 2, i + 3, i + 4));
            // A fresh String each time: the index interns them.
            index.setClassName("id" + i, new String("class " + i % 7));
        }
        assertEquals(1000, index.size());
        assertEquals(1000, index.labelledCount());
        assertEquals(7, index.classCount());
        assertTrue(index.capacity() >= 1000 && index.capacity() % FlatIndex.TILE_ROWS == 0);
        final float[] stored = new float[5];
        for (int i = 0; i < 1000; i++) {
            final int slot = index.slotOf("id" + i);
            index.vectorAt(slot, stored);
            assertArrayEquals(vector(i, i + 1, i + 2, i + 3, i + 4), stored, "id" + i);
            assertEquals("class " + i % 7, index.classNameAt(slot));
            assertSame(index.classNameAt(index.slotOf("id" + i % 7)), index.classNameAt(slot), "one String per class");
            assertEquals("id" + i, index.idAt(slot));
        }
    }

    @Test
    void shouldCountLabelledRowsAndClassesAsLabelsComeAndGo() {
        final FlatIndex index = new FlatIndex(2, 4);
        index.put("a", vector(1, 0));
        index.put("b", vector(0, 1));
        assertEquals(0, index.labelledCount());

        assertTrue(index.setClassName("a", "bag"));
        assertTrue(index.setClassName("a", "coat"));
        assertTrue(index.setClassName("b", "bag"));
        assertEquals(2, index.labelledCount());
        assertEquals(2, index.classCount(), "bag (b) and coat (a)");

        assertTrue(index.setClassName("a", null));
        assertEquals(1, index.labelledCount());
        assertEquals(1, index.classCount(), "coat left with its last row");
        assertEquals("bag", index.classNameAt(index.slotOf("b")));
        assertTrue(index.setClassName("a", "dress"));
        assertEquals("dress", index.classNameAt(index.slotOf("a")), "a freed class code is reused for another name");
        assertFalse(index.setClassName("missing", "bag"), "labels of absent ids are not kept by the index");
    }

    @Test
    void shouldKeepIdsThatAreNotAscii() {
        final FlatIndex index = new FlatIndex(2, 1);
        final int cafe = index.put("café", vector(1, 0));
        final int decomposed = index.put("cafe\u0301", vector(0, 1));
        final int image = index.put("图像-1", vector(1, 1));
        index.setClassName("图像-1", "上衣");
        assertEquals(3, index.size());
        assertEquals(cafe, index.slotOf("café"));
        assertEquals(decomposed, index.slotOf("cafe\u0301"), "other bytes, another id");
        assertEquals("图像-1", index.idAt(image));
        assertEquals("上衣", index.classNameAt(image));
        assertTrue(index.remove("café"));
        assertEquals(-1, index.slotOf("café"));
        assertEquals(decomposed, index.slotOf("cafe\u0301"));
        assertFalse(index.isUsed(cafe));
        assertTrue(index.isUsed(image));
    }

    @Test
    void shouldRejectAVectorOfTheWrongDimension() {
        final FlatIndex index = new FlatIndex(3, 4);
        final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> index.put("a", vector(1, 2)));
        assertTrue(e.getMessage().contains("2 values"), e.getMessage());
    }

    @Test
    void shouldForgetEverythingOnClear() {
        final FlatIndex index = new FlatIndex(2, 4);
        index.put("a", vector(1, 0));
        index.setClassName("a", "bag");
        index.clear();
        assertEquals(0, index.size());
        assertEquals(0, index.labelledCount());
        assertEquals(0, index.classCount());
        assertEquals(0, index.slotLimit());
        assertEquals(-1, index.slotOf("a"));
    }
}
