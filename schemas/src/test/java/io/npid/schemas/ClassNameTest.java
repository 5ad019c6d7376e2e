package io.npid.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassNameTest {

    @Test
    void shouldPreferTheNameAndStripIt() {
        final ClassName.Resolution r = ClassName.resolve(0, "  bag\t", "label of a");
        assertFalse(r.rejected());
        assertEquals("bag", r.name());
    }

    @Test
    void shouldNameALegacyIntLabelByItsDecimalString() {
        assertEquals("3", ClassName.resolve(3, null, "label of a").name());
        assertEquals("0", ClassName.resolve(0, null, "label of a").name());
        assertEquals("3", ClassName.ofNumber(3));
    }

    @Test
    void shouldHaveNoClassWithoutEitherField() {
        final ClassName.Resolution r = ClassName.resolve(null, null, "image a");
        assertFalse(r.rejected());
        assertNull(r.name());
    }

    @Test
    void shouldRejectBlankControlAndOverlongNamesWithTheirReason() {
        final ClassName.Resolution blank = ClassName.resolve(2, " \t ", "label of a");
        assertTrue(blank.rejected());
        assertEquals(ClassName.BAD_CLASS_NAME, blank.reason());
        assertTrue(blank.detail().contains("label of a") && blank.detail().contains("blank"), blank.detail());

        final ClassName.Resolution control = ClassName.resolve(null, "ba\u0000g", "label of a");
        assertEquals(ClassName.BAD_CLASS_NAME, control.reason());
        assertTrue(control.detail().contains("U+0000 at index 2"), control.detail());

        assertNull(
                ClassName.resolve(null, "x".repeat(ClassName.MAX_LENGTH), "a").reason());
        final ClassName.Resolution longName = ClassName.resolve(null, "x".repeat(ClassName.MAX_LENGTH + 1), "a");
        assertEquals(ClassName.BAD_CLASS_NAME, longName.reason());
        assertTrue(longName.detail().contains("257 characters"), longName.detail());
        // Characters are code points: 256 emoji (512 UTF-16 units) are a good name.
        assertNull(ClassName.resolve(null, "\uD83D\uDC5C".repeat(ClassName.MAX_LENGTH), "a")
                .reason());
    }

    @Test
    void shouldRejectNegativeIntLabels() {
        final ClassName.Resolution r = ClassName.resolve(-2, null, "label of a");
        assertEquals(ClassName.NEGATIVE_LABEL, r.reason());
        assertTrue(r.detail().contains("-2"), r.detail());
        assertEquals(
                ClassName.NEGATIVE_LABEL,
                ClassName.resolve(-1, "bag", "label of a").reason(),
                "an int label below 0 is refused even beside a name");
        assertThrows(IllegalArgumentException.class, () -> ClassName.ofNumber(-1));
    }

    @Test
    void shouldGiveTheNumberOnlyOfPlainDecimalNames() {
        assertEquals(0, ClassName.numberOf("0"));
        assertEquals(8, ClassName.numberOf("8"));
        assertEquals(Integer.MAX_VALUE, ClassName.numberOf("2147483647"));
        assertNull(ClassName.numberOf("2147483648"));
        assertNull(ClassName.numberOf("07"), "a leading zero would name another class than 7");
        assertNull(ClassName.numberOf("-1"));
        assertNull(ClassName.numberOf("bag"));
        assertNull(ClassName.numberOf("\u0663"), "only ASCII digits");
        assertNull(ClassName.numberOf(""));
        assertNull(ClassName.numberOf(null));
    }

    @Test
    void shouldRequireResolvedNames() {
        assertEquals("bag", ClassName.requireValid("bag"));
        assertThrows(IllegalArgumentException.class, () -> ClassName.requireValid(" bag"));
        assertThrows(IllegalArgumentException.class, () -> ClassName.requireValid(""));
        assertThrows(IllegalArgumentException.class, () -> ClassName.requireValid("a\nb"));
        assertThrows(NullPointerException.class, () -> ClassName.requireValid(null));
    }
}
