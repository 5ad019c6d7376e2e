package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    private static final ImageLimits LIMITS = new ImageLimits(1 << 20, 512, 512);

    static byte[] encode(final BufferedImage image, final String format) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private static BufferedImage rgb(final int w, final int h) {
        final BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 20) << 16 | (y * 30) << 8 | 77);
            }
        }
        return image;
    }

    @Test
    void shouldDecodeRgbPngExactly() throws Exception {
        final DecodedImage d =
                ImageDecoder.decode(ImageEncoding.PNG, encode(rgb(5, 4), "png"), null, null, null, LIMITS);
        assertEquals(5, d.width());
        assertEquals(4, d.height());
        assertEquals(3, d.channels());
        assertEquals(3 * 20, d.value(2, 3, 0));
        assertEquals(2 * 30, d.value(2, 3, 1));
        assertEquals(77, d.value(2, 3, 2));
    }

    @Test
    void shouldDecodeGreyPngAndJpegThroughTheAvroRecord() throws Exception {
        final BufferedImage grey = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 2, 0, 200);
        final DecodedImage png = ImageDecoder.decode(
                new Image(ImageEncoding.PNG, ByteBuffer.wrap(encode(grey, "png")), null, null, null), LIMITS);
        assertEquals(1, png.channels());
        assertEquals(200, png.value(2, 1, 0));
        final DecodedImage jpeg =
                ImageDecoder.decode(ImageEncoding.JPEG, encode(rgb(16, 16), "jpg"), null, null, null, LIMITS);
        assertEquals(16, jpeg.width());
        assertEquals(3, jpeg.channels());
    }

    @Test
    void shouldDecodeRawAndCheckItsSize() throws Exception {
        final byte[] px = {1, 2, 3, 4, 5, 6};
        final DecodedImage d = ImageDecoder.decode(ImageEncoding.RAW, px, 3, 2, 1, LIMITS);
        assertArrayEquals(px, d.pixels());
        assertReason(
                ImageRejectedException.RAW_SIZE_MISMATCH,
                () -> ImageDecoder.decode(ImageEncoding.RAW, px, 2, 2, 1, LIMITS));
        assertReason(
                ImageRejectedException.MISSING_FIELDS,
                () -> ImageDecoder.decode(ImageEncoding.RAW, px, 3, null, 1, LIMITS));
        assertReason(
                ImageRejectedException.BAD_CHANNELS, () -> ImageDecoder.decode(ImageEncoding.RAW, px, 1, 3, 2, LIMITS));
        assertReason(
                ImageRejectedException.BAD_DIMENSIONS,
                () -> ImageDecoder.decode(ImageEncoding.RAW, px, 0, 0, 1, LIMITS));
    }

    @Test
    void shouldRejectGarbageAndOversizedPayloads() {
        assertReason(
                ImageRejectedException.UNDECODABLE,
                () -> ImageDecoder.decode(ImageEncoding.PNG, new byte[] {1, 2, 3, 4, 5}, null, null, null, LIMITS));
        assertReason(
                ImageRejectedException.TOO_LARGE,
                () -> ImageDecoder.decode(
                        ImageEncoding.PNG, new byte[LIMITS.maxImageBytes() + 1], null, null, null, LIMITS));
    }

    @Test
    void shouldRejectPngBombFromItsHeaderWithoutDecodingPixels() throws Exception {
        final byte[] png = encode(rgb(4, 4), "png");
        // IHDR starts at byte 8 (length) + 4 (type); width and height follow, then the CRC over type + data.
        final ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, 100_000);
        b.putInt(20, 100_000);
        final CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        final long before = usedMemory();
        final ImageRejectedException e = assertReason(
                ImageRejectedException.BAD_DIMENSIONS,
                () -> ImageDecoder.decode(ImageEncoding.PNG, png, null, null, null, LIMITS));
        assertTrue(e.detail().contains("100000x100000"), e.detail());
        assertTrue(usedMemory() - before < 256L << 20, "a rejected bomb must not allocate its pixels");
    }

    private static long usedMemory() {
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static ImageRejectedException assertReason(
            final String reason, final org.junit.jupiter.api.function.Executable call) {
        final ImageRejectedException e = assertThrows(ImageRejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void shouldDecodeACmykJpegToRgb() throws Exception {
        // made with ImageMagick: convert -size 48x32 gradient:red-blue -colorspace CMYK cmyk.jpg (red top, blue bottom)
        final byte[] cmyk;
        try (var in = ImageDecoderTest.class.getResourceAsStream("/images/cmyk.jpg")) {
            cmyk = in.readAllBytes();
        }
        final DecodedImage d = ImageDecoder.decode(ImageEncoding.JPEG, cmyk, null, null, null, LIMITS);
        assertEquals(48, d.width());
        assertEquals(32, d.height());
        assertEquals(3, d.channels());
        assertTrue(
                d.value(0, 24, 0) > 200 && d.value(0, 24, 2) < 60,
                "top row is red: " + d.value(0, 24, 0) + "," + d.value(0, 24, 1) + "," + d.value(0, 24, 2));
        assertTrue(d.value(31, 24, 2) > 200 && d.value(31, 24, 0) < 60, "bottom row is blue");
    }

    @Test
    void shouldDecodeRgbaPngsWithoutTheirAlphaAndProgressiveJpegs() throws Exception {
        final BufferedImage rgba = new BufferedImage(6, 5, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(2, 3, 0x80FF2010);
        final DecodedImage png = ImageDecoder.decode(ImageEncoding.PNG, encode(rgba, "png"), null, null, null, LIMITS);
        assertEquals(3, png.channels());
        assertEquals(0xFF, png.value(3, 2, 0));
        assertEquals(0x20, png.value(3, 2, 1));

        final javax.imageio.ImageWriter writer =
                ImageIO.getImageWritersByFormatName("jpeg").next();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            final javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(rgb(40, 30), null, null), param);
        } finally {
            writer.dispose();
        }
        final DecodedImage progressive =
                ImageDecoder.decode(ImageEncoding.JPEG, bytes.toByteArray(), null, null, null, LIMITS);
        assertEquals(40, progressive.width());
        assertEquals(30, progressive.height());
        assertEquals(77, progressive.value(10, 10, 2), 20, "JPEG chroma subsampling blurs colour edges");
    }
}
