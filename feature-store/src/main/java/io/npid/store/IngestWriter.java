package io.npid.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Writes one ingest batch as a single RocksDB WriteBatch: images, new id <-> row entries, initial bank vectors,
 * labels, the new row count and the consumed offsets, all or nothing.
 *
 * <p>Row numbers are handed out from the in-memory count, so callers must serialise commits (the store does).
 */
final class IngestWriter {
    /**
     * The outcome of a commit.
     *
     * @param rows the row of every put image, in put order
     * @param size the store's row count after the commit
     */
    public record Result(int[] rows, int size) {}

    private IngestWriter() {}

    /**
     * Commits a batch, then records its new ids in {@code known}.
     *
     * @param h the store
     * @param known hashes of the stored ids, consulted before RocksDB and grown after the write
     * @param dimension the bank dimension
     * @param half write bank vectors as float16 instead of float32
     * @param size the row count before this batch
     * @param images the images, in put order (an id may repeat: the last image wins, all get the same row)
     * @param vectors the initial bank vector of each image, or null entries for none
     * @param labels class names by image id
     * @param offsets next offsets by topic-partition
     * @return the rows and the new row count
     * @throws io.npid.store.StoreException naming the path if RocksDB fails; nothing is written then
     */
    public static Result commit(
            final StoreHandles h,
            final KnownIds known,
            final int dimension,
            final boolean half,
            final int size,
            final List<StoredImage> images,
            final List<float[]> vectors,
            final Map<String, String> labels,
            final Map<TopicPartition, Long> offsets) {
        final byte[][] idKeys = new byte[images.size()][];
        for (int i = 0; i < idKeys.length; i++) {
            idKeys[i] = StoreLayout.idKey(images.get(i).id());
        }
        final Map<String, Integer> rowsById = existingRows(h, known, images, idKeys);
        final List<byte[]> newIds = new ArrayList<>();
        final int[] rows = new int[images.size()];
        int next = size;
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < images.size(); i++) {
                final StoredImage image = images.get(i);
                Integer row = rowsById.get(image.id());
                if (row == null) {
                    row = next++;
                    rowsById.put(image.id(), row);
                    newIds.add(idKeys[i]);
                    batch.put(h.rows(), StoreLayout.idToRowKey(idKeys[i]), StoreLayout.intBytes(row));
                    batch.put(h.rows(), StoreLayout.rowToIdKey(row), idKeys[i]);
                }
                rows[i] = row;
                batch.put(h.images(), idKeys[i], ImageCodec.encode(image));
                final float[] vector = vectors.get(i);
                if (vector != null) {
                    batch.put(h.bank(), StoreLayout.bankKey(row), BankVectors.encode(vector, 0, dimension, half));
                }
            }
            for (final Map.Entry<String, String> label : labels.entrySet()) {
                batch.put(h.labels(), StoreLayout.idKey(label.getKey()), StoreLayout.classNameBytes(label.getValue()));
            }
            for (final Map.Entry<TopicPartition, Long> offset : offsets.entrySet()) {
                batch.put(h.meta(), MetaEntries.offsetKey(offset.getKey()), MetaEntries.longBytes(offset.getValue()));
            }
            if (next != size) {
                batch.put(h.meta(), MetaEntries.ROW_COUNT, StoreLayout.intBytes(next));
            }
            h.db().write(h.writeOptions(), batch);
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "commit an ingest batch of " + images.size() + " images", e);
        }
        for (final byte[] id : newIds) {
            known.add(id);
        }
        return new Result(rows, next);
    }

    /** Finds the rows of ids already stored; only ids the in-memory filter cannot rule out go to RocksDB. */
    private static Map<String, Integer> existingRows(
            final StoreHandles h, final KnownIds known, final List<StoredImage> images, final byte[][] idKeys) {
        final Map<String, Integer> rowsById = new HashMap<>();
        final List<String> ids = new ArrayList<>();
        final List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < idKeys.length; i++) {
            if (known.mayContain(idKeys[i])) {
                ids.add(images.get(i).id());
                keys.add(StoreLayout.idToRowKey(idKeys[i]));
            }
        }
        if (keys.isEmpty()) {
            return rowsById;
        }
        final List<byte[]> values = RowIndex.multiGet(h, h.rows(), keys, "look up the rows of an ingest batch");
        for (int i = 0; i < ids.size(); i++) {
            if (values.get(i) != null) {
                rowsById.put(ids.get(i), StoreLayout.readInt(values.get(i), 0));
            }
        }
        return rowsById;
    }
}
