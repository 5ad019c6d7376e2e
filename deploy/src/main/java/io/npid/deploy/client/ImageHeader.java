package io.npid.deploy.client;

import io.npid.schemas.event.ImageEncoding;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The size and colour of a PNG or JPEG file, read from its header alone (the PNG IHDR chunk, the JPEG
 * start-of-frame segment): a folder of camera photos is sized without decoding a single one.
 *
 * @param encoding PNG or JPEG
 * @param width width in pixels
 * @param height height in pixels
 * @param colour whether it has colour: PNG truecolour or palette, JPEG with 3 (YCbCr) or 4 (CMYK) components
 */
public record ImageHeader(ImageEncoding encoding, int width, int height, boolean colour) {
    private static final int PNG_TRUECOLOUR = 2;
    private static final int PNG_PALETTE = 3;
    private static final int PNG_TRUECOLOUR_ALPHA = 6;

    /**
     * Reads the header of an image file.
     *
     * @param file a PNG or JPEG file
     * @return its header
     * @throws IOException when the file cannot be read or is neither a PNG nor a JPEG with a frame header
     */
    public static ImageHeader read(final Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 8192))) {
            final byte[] magic = new byte[8];
            final int n = in.readNBytes(magic, 0, magic.length);
            final ImageEncoding encoding = ImageFormat.sniff(Arrays.copyOf(magic, n))
                    .orElseThrow(() -> new IOException(file + " is neither a PNG nor a JPEG file"));
            try {
                return encoding == ImageEncoding.PNG ? png(in, file) : jpeg(in, magic, file);
            } catch (EOFException e) {
                throw new IOException(file + " ends inside its header", e);
            }
        }
    }

    private static ImageHeader png(final DataInputStream in, final Path file) throws IOException {
        in.readInt(); // chunk length
        final byte[] type = new byte[4];
        in.readFully(type);
        if (!"IHDR".equals(new String(type, StandardCharsets.US_ASCII))) {
            throw new IOException(file + ": PNG without IHDR header chunk");
        }
        final int width = in.readInt();
        final int height = in.readInt();
        in.readUnsignedByte(); // bit depth
        final int colourType = in.readUnsignedByte();
        final boolean colour =
                colourType == PNG_TRUECOLOUR || colourType == PNG_PALETTE || colourType == PNG_TRUECOLOUR_ALPHA;
        return new ImageHeader(ImageEncoding.PNG, width, height, colour);
    }

    /** Walks the JPEG segments after SOI (the magic's first two bytes) up to the first start-of-frame. */
    private static ImageHeader jpeg(final DataInputStream in, final byte[] magic, final Path file) throws IOException {
        // the 8 magic bytes are FF D8 (SOI) and the first 6 bytes of the next segment: re-read them in order
        final DataInputStream segments =
                new DataInputStream(new SequenceInputStream(new ByteArrayInputStream(magic, 2, magic.length - 2), in));
        while (true) {
            int marker = segments.readUnsignedByte();
            if (marker != 0xff) {
                throw new IOException(file + ": JPEG segment does not start with FF");
            }
            while (marker == 0xff) { // fill bytes
                marker = segments.readUnsignedByte();
            }
            if (marker == 0xd9 || marker == 0xda) {
                throw new IOException(file + ": JPEG without a frame header");
            }
            if ((marker >= 0xd0 && marker <= 0xd8) || marker == 0x01) {
                continue; // markers without a length
            }
            final int length = segments.readUnsignedShort();
            if (isStartOfFrame(marker)) {
                segments.readUnsignedByte(); // sample precision
                final int height = segments.readUnsignedShort();
                final int width = segments.readUnsignedShort();
                final int components = segments.readUnsignedByte();
                return new ImageHeader(ImageEncoding.JPEG, width, height, components >= 3);
            }
            segments.skipNBytes(length - 2L);
        }
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isStartOfFrame(final int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }
}
