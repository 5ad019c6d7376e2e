package io.npid.store;

import java.util.ArrayList;
import java.util.List;

/** Reads the images of many rows with two multiGets: rows to ids, then ids to images. */
final class ImageReader {
    private ImageReader() {}

    /**
     * @param h the store
     * @param rows row numbers, each below the store size
     * @return the images in row order of the argument
     * @throws StoreException naming the row or id when one is missing or corrupt
     */
    public static List<StoredImage> read(final StoreHandles h, final int[] rows) {
        final String[] ids = RowIndex.idsOf(h, rows);
        final List<byte[]> keys = new ArrayList<>(ids.length);
        for (final String id : ids) {
            keys.add(StoreLayout.idKey(id));
        }
        final List<byte[]> values = RowIndex.multiGet(h, h.images(), keys, "read " + rows.length + " images");
        final List<StoredImage> images = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            final byte[] v = values.get(i);
            if (v == null) {
                throw new StoreException("Feature store at " + h.path() + " has row " + rows[i] + " (image '" + ids[i]
                        + "') but no image for it");
            }
            images.add(ImageCodec.decode(ids[i], v));
        }
        return images;
    }
}
