package io.npid.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * Reads the bank: in key (= row) order into a dense matrix or row by row with ids and class names for export, or the
 * vectors of chosen rows.
 *
 * <p>Scans do not fill the block cache, so loading the bank does not evict the images the trainer reads.
 */
final class BankScanner {
    private static final long READAHEAD_BYTES = 4L * 1024 * 1024;

    private BankScanner() {}

    /**
     * Copies the vectors of rows 0..rowCount-1 into a dense row-major matrix; rows without a vector stay zero.
     *
     * @param h the store
     * @param dimension the bank dimension
     * @param rowCount rows to load
     * @param into at least rowCount * dimension floats
     * @throws StoreException naming the row if a stored vector has the wrong length
     */
    public static void load(final StoreHandles h, final int dimension, final int rowCount, final float[] into) {
        final int valueBytes = dimension * Float.BYTES;
        // Direct buffers let RocksDB copy key and value straight out of the block; one bulk float copy follows.
        final ByteBuffer key = ByteBuffer.allocateDirect(Integer.BYTES);
        final ByteBuffer value = ByteBuffer.allocateDirect(valueBytes).order(ByteOrder.LITTLE_ENDIAN);
        final FloatBuffer floats = value.asFloatBuffer();
        try (Slice upper = new Slice(StoreLayout.bankKey(rowCount));
                ReadOptions read = scanOptions().setIterateUpperBound(upper);
                RocksIterator it = h.db().newIterator(h.bank(), read)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                key.clear();
                it.key(key);
                final int row = key.getInt(0);
                value.clear();
                final int length = it.value(value);
                if (length == dimension * 2) {
                    // a float16 row (store.bank.dtype=float16)
                    for (int i = 0; i < dimension; i++) {
                        into[row * dimension + i] = BankVectors.fromHalf(value.getShort(2 * i) & 0xFFFF);
                    }
                    continue;
                }
                if (length != valueBytes) {
                    throw new StoreException("Bank vector of row " + row + " in " + h.path() + " is corrupt: "
                            + length + " bytes, expected " + valueBytes + " (float32) or " + dimension * 2
                            + " (float16)");
                }
                floats.position(0);
                floats.get(into, row * dimension, dimension);
            }
            it.status();
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "load the bank", e);
        }
    }

    /**
     * Visits rows 0..N-1 of one consistent snapshot with their ids, class names and vectors.
     *
     * @param h the store
     * @param dimension the bank dimension
     * @param visitor receives each row in order
     */
    public static void forEachRow(final StoreHandles h, final int dimension, final BankRowVisitor visitor) {
        final Snapshot snapshot = h.db().getSnapshot();
        try (ReadOptions read = scanOptions().setSnapshot(snapshot);
                RocksIterator ids = h.db().newIterator(h.rows(), read);
                RocksIterator bank = h.db().newIterator(h.bank(), read)) {
            bank.seekToFirst();
            for (ids.seek(new byte[] {StoreLayout.ROW_TO_ID}); ids.isValid(); ids.next()) {
                final byte[] k = ids.key();
                if (k[0] != StoreLayout.ROW_TO_ID) {
                    break;
                }
                final int row = StoreLayout.readInt(k, 1);
                final String id = new String(ids.value(), StandardCharsets.UTF_8);
                while (bank.isValid() && StoreLayout.readInt(bank.key(), 0) < row) {
                    bank.next();
                }
                float[] vector = null;
                if (bank.isValid() && StoreLayout.readInt(bank.key(), 0) == row) {
                    vector = BankVectors.decode(bank.value(), row, dimension);
                }
                final byte[] label = h.db().get(h.labels(), read, StoreLayout.idKey(id));
                visitor.visit(id, row, StoreLayout.className(label), vector);
            }
            ids.status();
            bank.status();
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "iterate its rows", e);
        } finally {
            h.db().releaseSnapshot(snapshot);
        }
    }

    /**
     * Reads the vectors of some rows with one multiGet.
     *
     * @param h the store
     * @param dimension the bank dimension
     * @param size the row count; every row must be below it
     * @param rows row numbers
     * @return one fresh vector per row, null where the row never got one
     * @throws StoreException naming a row that is not in 0..size-1
     */
    public static List<float[]> read(final StoreHandles h, final int dimension, final int size, final int[] rows) {
        final List<byte[]> keys = new ArrayList<>(rows.length);
        for (final int row : rows) {
            if (row < 0 || row >= size) {
                throw new StoreException("readBank: row " + row + " is not a row of the feature store at " + h.path()
                        + ", which has rows 0.." + (size - 1));
            }
            keys.add(StoreLayout.bankKey(row));
        }
        final List<byte[]> values = RowIndex.multiGet(h, h.bank(), keys, "read " + rows.length + " bank rows");
        final List<float[]> vectors = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            final byte[] v = values.get(i);
            vectors.add(v == null ? null : BankVectors.decode(v, rows[i], dimension));
        }
        return vectors;
    }

    private static ReadOptions scanOptions() {
        return new ReadOptions().setFillCache(false).setReadaheadSize(READAHEAD_BYTES);
    }
}
