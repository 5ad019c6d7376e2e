package io.npid.deploy.cli;

import io.npid.schemas.ClassName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code npid eval} numbers the bank's class names for the kNN evaluator: as the test set numbers its classes,
 * so that a bank row votes for the test class of the same name. A name the test set lacks gets a number after the
 * test set's own (its votes can only be wrong). A bank labelled before class names, whose names are all numbers and
 * none a test class name, is numbered by those numbers instead, as it was labelled.
 *
 * @param numbers the number of every bank class name
 * @param byNumber whether the bank was numbered by its names' numbers (the legacy case)
 */
record ClassNumbering(Map<String, Integer> numbers, boolean byNumber) {

    /**
     * Numbers the bank's classes.
     *
     * @param bankNames the class names of the labelled bank rows
     * @param testClasses the test set's class names, by number
     * @return the numbering
     */
    static ClassNumbering of(final List<String> bankNames, final String[] testClasses) {
        final Map<String, Integer> numbers = new HashMap<>();
        for (int i = 0; i < testClasses.length; i++) {
            numbers.put(testClasses[i], i);
        }
        final boolean legacy = !bankNames.isEmpty()
                && bankNames.stream().noneMatch(numbers::containsKey)
                && bankNames.stream().allMatch(name -> ClassName.numberOf(name) != null);
        if (legacy) {
            numbers.clear();
            bankNames.forEach(name -> numbers.put(name, ClassName.numberOf(name)));
            return new ClassNumbering(Map.copyOf(numbers), true);
        }
        int next = testClasses.length;
        for (final String name : bankNames) {
            if (!numbers.containsKey(name)) {
                numbers.put(name, next++);
            }
        }
        return new ClassNumbering(Map.copyOf(numbers), false);
    }
}
