package io.npid.store;

import java.nio.ByteBuffer;

/**
 * Encodes a {@link StoredImage} as the value of the images column family; the id is the key, not repeated here.
 *
 * <p>Value: format byte (1 = raw u8 HWC), width, height, channels (int BE), ingest time (long BE), then the pixels.
 */
final class ImageCodec {
    private static final byte RAW_U8_HWC = 1;
    private static final int HEADER_BYTES = 1 + 4 + 4 + 4 + 8;

    private ImageCodec() {}

    /**
     * @param image the image
     * @return its stored bytes
     */
    public static byte[] encode(final StoredImage image) {
        final byte[] pixels = image.pixels();
        final byte[] out = new byte[HEADER_BYTES + pixels.length];
        ByteBuffer.wrap(out)
                .put(RAW_U8_HWC)
                .putInt(image.width())
                .putInt(image.height())
                .putInt(image.channels())
                .putLong(image.ingestTimeMs())
                .put(pixels);
        return out;
    }

    /**
     * @param id the key the value was stored under
     * @param value the stored bytes
     * @return the image
     * @throws StoreException naming the id if the bytes are not a stored image
     */
    public static StoredImage decode(final String id, final byte[] value) {
        if (value.length < HEADER_BYTES || value[0] != RAW_U8_HWC) {
            throw new StoreException("Stored image '" + id + "' is corrupt: " + value.length + " bytes, format byte "
                    + (value.length > 0 ? value[0] : -1));
        }
        final ByteBuffer in = ByteBuffer.wrap(value, 1, value.length - 1);
        final int width = in.getInt();
        final int height = in.getInt();
        final int channels = in.getInt();
        final long ingestTimeMs = in.getLong();
        final byte[] pixels = new byte[value.length - HEADER_BYTES];
        in.get(pixels);
        try {
            return new StoredImage(id, pixels, width, height, channels, ingestTimeMs);
        } catch (final IllegalArgumentException e) {
            throw new StoreException("Stored image '" + id + "' is corrupt: " + e.getMessage(), e);
        }
    }
}
