package io.npid.store;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/** Validates bank rows and writes them, with the trainer progress when given, in one WriteBatch. */
final class BankWriter {
    private BankWriter() {}

    /**
     * Validates every row first, then writes all of them, so a bad row leaves the bank untouched.
     *
     * @param h the store
     * @param dimension the bank dimension
     * @param half write float16 instead of float32
     * @param size the current row count; every row must be below it
     * @param rows row numbers (a repeated row keeps its last vector)
     * @param vectors rows.length * dimension values, row-major
     * @param progress progress to store in the same batch, or null
     * @throws StoreException naming the row for a row out of range or a vector that is not a finite unit vector, and
     *     naming both lengths when {@code vectors} does not hold rows.length * dimension values
     */
    public static void write(
            final StoreHandles h,
            final int dimension,
            final boolean half,
            final int size,
            final int[] rows,
            final float[] vectors,
            final TrainerProgress progress) {
        if ((long) rows.length * dimension != vectors.length) {
            throw new StoreException("writeBank got " + vectors.length + " values for " + rows.length
                    + " rows; expected " + rows.length + " x dimension " + dimension + " = "
                    + (long) rows.length * dimension);
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= size) {
                throw new StoreException("writeBank: row " + rows[i] + " (position " + i + ") is not a row of the"
                        + " feature store at " + h.path() + ", which has rows 0.." + (size - 1));
            }
            BankVectors.checkUnit(vectors, i * dimension, dimension, "row " + rows[i]);
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < rows.length; i++) {
                final byte[] value = BankVectors.encode(vectors, i * dimension, dimension, half);
                batch.put(h.bank(), StoreLayout.bankKey(rows[i]), value);
            }
            if (progress != null) {
                MetaEntries.putProgress(h, batch, progress);
            }
            h.db().write(h.writeOptions(), batch);
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "write " + rows.length + " bank rows", e);
        }
    }

    /**
     * Stores the trainer progress alone.
     *
     * @param h the store
     * @param progress the progress
     */
    public static void writeProgress(final StoreHandles h, final TrainerProgress progress) {
        try (WriteBatch batch = new WriteBatch()) {
            MetaEntries.putProgress(h, batch, progress);
            h.db().write(h.writeOptions(), batch);
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "write the trainer progress", e);
        }
    }
}
