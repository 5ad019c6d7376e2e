package io.npid.store;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The on-disk layout of a feature store: column family names, key encodings and the schema version.
 *
 * <p>Rows and bank keys are 4-byte big-endian row numbers, so RocksDB's bytewise key order is row order and a bank
 * scan fills a dense matrix front to back. Changing anything here changes the format: bump {@link #SCHEMA_VERSION}.
 */
public final class StoreLayout {
    /**
     * Version of this layout, stored in the meta column family and checked on open. 2: labels are class names
     * (version 1 kept int labels; {@link LabelMigration} upgrades such a store on open).
     */
    public static final int SCHEMA_VERSION = 2;

    /** imageId (UTF-8) -> encoded image (see {@link ImageCodec}). */
    public static final String IMAGES_CF = "images";
    /** {@link #ID_TO_ROW} + imageId -> row (int BE), and {@link #ROW_TO_ID} + row (int BE) -> imageId (UTF-8). */
    public static final String ROWS_CF = "rows";
    /** row (int BE) -> dimension float32 little-endian. */
    public static final String BANK_CF = "bank";
    /** imageId (UTF-8) -> class name (UTF-8); a label may arrive before its image. */
    public static final String LABELS_CF = "labels";
    /** Named entries: dimension, schema version, row count, trainer progress, consumed offsets. */
    public static final String META_CF = "meta";
    /** Our column families in the order they are opened, after RocksDB's required default family. */
    public static final List<String> COLUMN_FAMILIES = List.of(IMAGES_CF, ROWS_CF, BANK_CF, LABELS_CF, META_CF);

    /** Key prefix of the imageId -> row entries in the rows column family. */
    public static final byte ID_TO_ROW = 'i';
    /** Key prefix of the row -> imageId entries in the rows column family. */
    public static final byte ROW_TO_ID = 'r';

    private StoreLayout() {}

    /**
     * @param id image id
     * @return the id's UTF-8 bytes, the key of the images and labels column families
     */
    public static byte[] idKey(final String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param className a class name
     * @return its stored value in the labels column family
     */
    public static byte[] classNameBytes(final String className) {
        return className.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param stored a value of the labels column family, or null
     * @return the class name it holds, or null
     */
    public static String className(final byte[] stored) {
        return stored == null ? null : new String(stored, StandardCharsets.UTF_8);
    }

    /**
     * @param id image id
     * @return the key of the id's entry in the id -> row map
     */
    public static byte[] idToRowKey(final String id) {
        return idToRowKey(idKey(id));
    }

    /**
     * @param utf8 an image id's UTF-8 bytes
     * @return the key of the id's entry in the id -> row map
     */
    public static byte[] idToRowKey(final byte[] utf8) {
        final byte[] key = new byte[utf8.length + 1];
        key[0] = ID_TO_ROW;
        System.arraycopy(utf8, 0, key, 1, utf8.length);
        return key;
    }

    /**
     * @param row row number
     * @return the key of the row's entry in the row -> id map
     */
    public static byte[] rowToIdKey(final int row) {
        final byte[] key = new byte[5];
        key[0] = ROW_TO_ID;
        putInt(key, 1, row);
        return key;
    }

    /**
     * @param row row number
     * @return the key of the row's bank vector
     */
    public static byte[] bankKey(final int row) {
        return intBytes(row);
    }

    /**
     * @param value an int
     * @return its 4 big-endian bytes
     */
    public static byte[] intBytes(final int value) {
        final byte[] b = new byte[4];
        putInt(b, 0, value);
        return b;
    }

    /**
     * @param b bytes
     * @param offset where the int starts
     * @return the big-endian int at offset
     */
    public static int readInt(final byte[] b, final int offset) {
        return (b[offset] & 0xff) << 24
                | (b[offset + 1] & 0xff) << 16
                | (b[offset + 2] & 0xff) << 8
                | (b[offset + 3] & 0xff);
    }

    /**
     * @param b target bytes
     * @param offset where to write
     * @param value the int to write big-endian
     */
    public static void putInt(final byte[] b, final int offset, final int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }
}
