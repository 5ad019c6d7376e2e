package io.npid.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The named entries of the meta column family: dimension, schema version, row count, trainer progress and the
 * consumed offset of every topic-partition.
 *
 * <p>Keys are ASCII names; an offset key is {@code offset/<topic>/<partition>} (Kafka topic names never contain a
 * slash). Values are big-endian; progress is one 32-byte value so that it changes atomically.
 */
final class MetaEntries {
    /** Key of the bank dimension (int). */
    public static final byte[] DIMENSION = ascii("dimension");
    /** Key of the layout schema version (int). */
    public static final byte[] SCHEMA_VERSION = ascii("schema-version");
    /** Key of the number of rows (int), written in the same batch as the rows it counts. */
    public static final byte[] ROW_COUNT = ascii("row-count");
    /** Key of the trainer progress (step, epoch, model version: long; Z: double). */
    public static final byte[] PROGRESS = ascii("progress");

    private static final String OFFSET_PREFIX = "offset/";

    private MetaEntries() {}

    /**
     * @param tp a topic-partition
     * @return its offset key
     */
    public static byte[] offsetKey(final TopicPartition tp) {
        return ascii(OFFSET_PREFIX + tp.topic() + "/" + tp.partition());
    }

    /**
     * @param value a long
     * @return its 8 big-endian bytes
     */
    public static byte[] longBytes(final long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /**
     * @param progress trainer progress
     * @return its stored value
     */
    public static byte[] encodeProgress(final TrainerProgress progress) {
        return ByteBuffer.allocate(32)
                .putLong(progress.step())
                .putLong(progress.epoch())
                .putLong(progress.modelVersion())
                .putDouble(progress.z())
                .array();
    }

    /**
     * Adds the progress entry to a write batch.
     *
     * @param h the store
     * @param batch the batch
     * @param progress the progress to store
     * @throws RocksDBException if the batch refuses the entry
     */
    public static void putProgress(final StoreHandles h, final WriteBatch batch, final TrainerProgress progress)
            throws RocksDBException {
        batch.put(h.meta(), PROGRESS, encodeProgress(progress));
    }

    /**
     * @param h the store
     * @return the stored progress, or {@link TrainerProgress#INITIAL} when none was stored
     */
    public static TrainerProgress progress(final StoreHandles h) {
        final byte[] v = get(h, PROGRESS);
        if (v == null) {
            return TrainerProgress.INITIAL;
        }
        final ByteBuffer b = ByteBuffer.wrap(v);
        return new TrainerProgress(b.getLong(), b.getLong(), b.getLong(), b.getDouble());
    }

    /**
     * @param h the store
     * @param key an int entry's key
     * @return the int, or -1 when absent
     */
    public static int getInt(final StoreHandles h, final byte[] key) {
        final byte[] v = get(h, key);
        return v == null ? -1 : StoreLayout.readInt(v, 0);
    }

    /**
     * @param h the store
     * @return every stored offset, by topic-partition, in key order
     */
    public static Map<TopicPartition, Long> offsets(final StoreHandles h) {
        final Map<TopicPartition, Long> out = new LinkedHashMap<>();
        final byte[] prefix = ascii(OFFSET_PREFIX);
        try (RocksIterator it = h.db().newIterator(h.meta())) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                final String name = new String(it.key(), StandardCharsets.US_ASCII).substring(prefix.length);
                final int slash = name.lastIndexOf('/');
                final TopicPartition tp =
                        new TopicPartition(name.substring(0, slash), Integer.parseInt(name.substring(slash + 1)));
                out.put(tp, ByteBuffer.wrap(it.value()).getLong());
            }
            it.status();
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "read its consumed offsets", e);
        }
        return out;
    }

    private static byte[] get(final StoreHandles h, final byte[] key) {
        try {
            return h.db().get(h.meta(), key);
        } catch (final RocksDBException e) {
            throw RocksErrors.on(h.path(), "read meta entry " + new String(key, StandardCharsets.US_ASCII), e);
        }
    }

    private static boolean startsWith(final byte[] key, final byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Checks that the store was written with this dimension and schema version, or records them in a new store;
     * a version 1 store (int labels) is migrated to the current version first.
     *
     * @param h the store
     * @param dimension the dimension the caller expects
     * @throws StoreException naming the path and both values when they differ (an older version that can be
     *     migrated is not a difference)
     */
    public static void verifyOrInitialise(final StoreHandles h, final int dimension) {
        final int storedSchema = getInt(h, SCHEMA_VERSION);
        final int storedDimension = getInt(h, DIMENSION);
        if (storedSchema < 0 && storedDimension < 0) {
            if (RowIndex.lastRow(h) >= 0) {
                throw new StoreException("Feature store at " + h.path() + " has rows but no dimension or schema"
                        + " version; it is damaged");
            }
            try (WriteBatch batch = new WriteBatch();
                    WriteOptions sync = new WriteOptions()) {
                batch.put(h.meta(), SCHEMA_VERSION, StoreLayout.intBytes(StoreLayout.SCHEMA_VERSION));
                batch.put(h.meta(), DIMENSION, StoreLayout.intBytes(dimension));
                h.db().write(sync.setSync(true), batch);
            } catch (final RocksDBException e) {
                throw RocksErrors.on(h.path(), "record its dimension and schema version", e);
            }
            return;
        }
        if (storedSchema != StoreLayout.SCHEMA_VERSION && storedSchema != LabelMigration.FROM_VERSION) {
            throw new StoreException("Feature store at " + h.path() + " has schema version " + storedSchema
                    + ", but this build reads schema version " + StoreLayout.SCHEMA_VERSION + " (and migrates version "
                    + LabelMigration.FROM_VERSION + "); open it with a matching build or re-ingest into a new store");
        }
        if (storedDimension != dimension) {
            throw new StoreException("Feature store at " + h.path() + " was created with dimension " + storedDimension
                    + ", but it is being opened with dimension " + dimension + " (store.dimension); open it with "
                    + storedDimension + " or use a new directory");
        }
        if (storedSchema == LabelMigration.FROM_VERSION) {
            LabelMigration.fromVersion1(h);
        }
    }
}
