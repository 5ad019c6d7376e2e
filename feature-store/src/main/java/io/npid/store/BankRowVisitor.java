package io.npid.store;

/** Receives one bank row at a time from {@link FeatureStore#forEachRow(BankRowVisitor)}, in row order. */
@FunctionalInterface
public interface BankRowVisitor {
    /**
     * Visits one row.
     *
     * @param id the image id of the row
     * @param row the dense row number, 0..N-1
     * @param className the image's class name, null when no label has arrived
     * @param vector a fresh copy of the row's bank vector, or {@code null} when no vector was ever written for it
     */
    void visit(String id, int row, String className, float[] vector);
}
