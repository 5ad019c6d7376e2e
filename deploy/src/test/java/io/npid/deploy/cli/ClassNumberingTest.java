package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassNumberingTest {

    private static final String[] TEST = {"T-shirt/top", "Trouser", "Bag"};

    @Test
    void shouldNumberBankClassesAsTheTestSetNumbersTheSameNames() {
        final ClassNumbering numbering = ClassNumbering.of(List.of("Bag", "T-shirt/top", "Bag"), TEST);
        assertFalse(numbering.byNumber());
        assertEquals(2, numbering.numbers().get("Bag"));
        assertEquals(0, numbering.numbers().get("T-shirt/top"));
    }

    @Test
    void shouldNumberNamesTheTestSetLacksAfterItsOwn() {
        final ClassNumbering numbering = ClassNumbering.of(List.of("Bag", "bag", "0", "bag"), TEST);
        assertFalse(numbering.byNumber(), "one name matches: names rule");
        assertEquals(Map.of("T-shirt/top", 0, "Trouser", 1, "Bag", 2, "bag", 3, "0", 4), numbering.numbers());
    }

    @Test
    void shouldNumberABankLabelledBeforeClassNamesByItsNumbers() {
        final ClassNumbering numbering = ClassNumbering.of(List.of("2", "0", "2"), TEST);
        assertTrue(numbering.byNumber());
        assertEquals(Map.of("2", 2, "0", 0), numbering.numbers());
    }
}
