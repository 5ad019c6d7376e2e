package io.npid.indexer.knn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The class names of one {@link FlatIndex}, interned as small int codes with a count of the slots holding each.
 *
 * <p>A slot keeps a code, so the scan tests an int to skip unlabelled rows and every row of a class shares one
 * String. A code whose last slot lets go is freed with its name, so a stream of renamed classes does not grow the
 * table for ever. Not thread-safe, like the index.
 */
final class ClassCodes {

    private final Map<String, Integer> codesByName = new HashMap<>();
    private String[] names = new String[16];
    private int[] slotCounts = new int[16];
    private int[] freeCodes = new int[16];
    private int freeCount;
    private int highWater;

    /**
     * Takes a code for one more slot of a class.
     *
     * @param name a class name
     * @return its code, at least 0
     */
    int acquire(final String name) {
        Integer code = codesByName.get(name);
        if (code == null) {
            code = allocate(name);
        }
        slotCounts[code]++;
        return code;
    }

    /**
     * Gives back a slot's code; the last one frees the code and its name.
     *
     * @param code a code taken by {@link #acquire(String)}
     */
    void release(final int code) {
        if (--slotCounts[code] == 0) {
            codesByName.remove(names[code]);
            names[code] = null;
            if (freeCount == freeCodes.length) {
                freeCodes = Arrays.copyOf(freeCodes, freeCount * 2);
            }
            freeCodes[freeCount++] = code;
        }
    }

    /**
     * The name of a code.
     *
     * @param code a code in use
     * @return the interned class name
     */
    String name(final int code) {
        return names[code];
    }

    /**
     * Classes with at least one slot.
     *
     * @return the count
     */
    int size() {
        return codesByName.size();
    }

    /** Forgets every class. */
    void clear() {
        codesByName.clear();
        Arrays.fill(names, null);
        Arrays.fill(slotCounts, 0);
        freeCount = 0;
        highWater = 0;
    }

    private int allocate(final String name) {
        final int code;
        if (freeCount > 0) {
            code = freeCodes[--freeCount];
        } else {
            if (highWater == names.length) {
                names = Arrays.copyOf(names, highWater * 2);
                slotCounts = Arrays.copyOf(slotCounts, highWater * 2);
            }
            code = highWater++;
        }
        names[code] = name;
        codesByName.put(name, code);
        return code;
    }
}
