package io.npid.trainer.data;

import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG and raw 8-bit images into {@link DecodedImage}s, rejecting anything outside {@link ImageLimits}.
 *
 * <p>For PNG and JPEG the header is read first (ImageReader.getWidth/getHeight), so an image whose stated size
 * exceeds the limits is rejected before any pixel memory is allocated (a small "decompression bomb" never expands).
 * Alpha is dropped; palette images become RGB; 16-bit grey is scaled to 8 bits. Stateless and thread-safe.
 */
public final class ImageDecoder {

    private ImageDecoder() {}

    /**
     * Decodes an Avro {@link Image}.
     *
     * @param image the image record
     * @param limits the limits to enforce
     * @return the decoded pixels
     * @throws ImageRejectedException with a reason code when the image is refused
     */
    public static DecodedImage decode(final Image image, final ImageLimits limits) throws ImageRejectedException {
        final ByteBuffer buffer = image.getData().duplicate();
        final byte[] data = new byte[buffer.remaining()];
        buffer.get(data);
        return decode(image.getEncoding(), data, image.getWidth(), image.getHeight(), image.getChannels(), limits);
    }

    /**
     * Decodes encoded bytes.
     *
     * @param encoding PNG, JPEG or RAW
     * @param data the payload
     * @param width RAW width (ignored for PNG/JPEG, may be null there)
     * @param height RAW height
     * @param channels RAW channel count
     * @param limits the limits to enforce
     * @return the decoded pixels
     * @throws ImageRejectedException with a reason code when the image is refused
     */
    public static DecodedImage decode(
            final ImageEncoding encoding,
            final byte[] data,
            final Integer width,
            final Integer height,
            final Integer channels,
            final ImageLimits limits)
            throws ImageRejectedException {
        if (data.length > limits.maxImageBytes()) {
            throw new ImageRejectedException(
                    ImageRejectedException.TOO_LARGE,
                    data.length + " bytes exceed max-image-bytes " + limits.maxImageBytes());
        }
        if (encoding == ImageEncoding.RAW) {
            return decodeRaw(data, width, height, channels, limits);
        }
        return decodeEncoded(data, limits);
    }

    private static DecodedImage decodeRaw(
            final byte[] data,
            final Integer width,
            final Integer height,
            final Integer channels,
            final ImageLimits limits)
            throws ImageRejectedException {
        if (width == null || height == null || channels == null) {
            throw new ImageRejectedException(
                    ImageRejectedException.MISSING_FIELDS,
                    "RAW image needs width, height and channels (got " + width + ", " + height + ", " + channels + ")");
        }
        checkDimensions(width, height, limits);
        if (channels != 1 && channels != 3) {
            throw new ImageRejectedException(
                    ImageRejectedException.BAD_CHANNELS,
                    "RAW image has " + channels + " channels; 1 or 3 are accepted");
        }
        final long expected = (long) width * height * channels;
        if (expected != data.length) {
            throw new ImageRejectedException(
                    ImageRejectedException.RAW_SIZE_MISMATCH,
                    "RAW image " + width + "x" + height + "x" + channels + " needs " + expected + " bytes, got "
                            + data.length);
        }
        return new DecodedImage(width, height, channels, data.clone());
    }

    private static DecodedImage decodeEncoded(final byte[] data, final ImageLimits limits)
            throws ImageRejectedException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            final Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new ImageRejectedException(ImageRejectedException.UNDECODABLE, "not a PNG or JPEG image");
            }
            final ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // Header only: refuse oversized images before the pixels are allocated.
                checkDimensions(reader.getWidth(0), reader.getHeight(0), limits);
                return toDecoded(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(
                    ImageRejectedException.UNDECODABLE,
                    "cannot decode image: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void checkDimensions(final int width, final int height, final ImageLimits limits)
            throws ImageRejectedException {
        if (width < 1 || height < 1 || width > limits.maxWidth() || height > limits.maxHeight()) {
            throw new ImageRejectedException(
                    ImageRejectedException.BAD_DIMENSIONS,
                    "image is " + width + "x" + height + "; allowed 1x1 to " + limits.maxWidth() + "x"
                            + limits.maxHeight());
        }
    }

    /**
     * Copies the pixels of the layouts JPEG and most PNG decoders produce (8-bit grey, BGR and ABGR bytes) straight
     * from the raster: getRGB's per-pixel colour-model calls take seconds on a 12-megapixel photo. Null otherwise.
     */
    private static DecodedImage fromInterleavedBytes(final BufferedImage image) {
        final int type = image.getType();
        if (type != BufferedImage.TYPE_3BYTE_BGR
                && type != BufferedImage.TYPE_4BYTE_ABGR
                && type != BufferedImage.TYPE_BYTE_GRAY) {
            return null;
        }
        final int w = image.getWidth();
        final int h = image.getHeight();
        final byte[] data = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            return data.length == w * h ? new DecodedImage(w, h, 1, data.clone()) : null;
        }
        final int stride = type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
        if (data.length != w * h * stride) {
            return null;
        }
        // BGR or ABGR per pixel -> RGB, alpha dropped
        final int b = stride - 3;
        final byte[] out = new byte[w * h * 3];
        for (int i = 0, o = 0; o < out.length; i += stride, o += 3) {
            out[o] = data[i + b + 2];
            out[o + 1] = data[i + b + 1];
            out[o + 2] = data[i + b];
        }
        return new DecodedImage(w, h, 3, out);
    }

    private static DecodedImage toDecoded(final BufferedImage image) throws ImageRejectedException {
        final DecodedImage direct = fromInterleavedBytes(image);
        if (direct != null) {
            return direct;
        }
        final int w = image.getWidth();
        final int h = image.getHeight();
        final ColorModel model = image.getColorModel();
        final int components = model.getNumColorComponents();
        if (components == 1 && !(model instanceof java.awt.image.IndexColorModel)) {
            final Raster raster = image.getRaster();
            final int bits = model.getComponentSize(0);
            final int shift = Math.max(0, bits - 8);
            final byte[] out = new byte[w * h];
            final int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) (row[x] >>> shift);
                }
            }
            return new DecodedImage(w, h, 1, out);
        }
        if (components != 3) {
            throw new ImageRejectedException(
                    ImageRejectedException.BAD_CHANNELS,
                    "image has " + components + " colour components; grey or RGB are accepted");
        }
        final byte[] out = new byte[w * h * 3];
        final int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                final int p = row[x];
                final int o = (y * w + x) * 3;
                out[o] = (byte) (p >>> 16);
                out[o + 1] = (byte) (p >>> 8);
                out[o + 2] = (byte) p;
            }
        }
        return new DecodedImage(w, h, 3, out);
    }
}
