package io.npid.deploy.client;

import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import io.npid.trainer.data.DecodedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Builds the Avro {@link Image} of a decoded image or of an image file. */
public final class ImageEvents {

    private ImageEvents() {}

    /**
     * Wraps decoded pixels, raw or PNG-encoded.
     *
     * @param image the pixels
     * @param encoding RAW (smallest work, what the local stack uses) or PNG (smaller for big photos)
     * @return the Avro image
     */
    public static Image of(final DecodedImage image, final ImageEncoding encoding) {
        if (encoding == ImageEncoding.RAW) {
            return Image.newBuilder()
                    .setEncoding(ImageEncoding.RAW)
                    .setData(ByteBuffer.wrap(image.pixels()))
                    .setWidth(image.width())
                    .setHeight(image.height())
                    .setChannels(image.channels())
                    .build();
        }
        if (encoding != ImageEncoding.PNG) {
            throw new IllegalArgumentException("Only RAW and PNG are written from pixels, not " + encoding);
        }
        return Image.newBuilder()
                .setEncoding(ImageEncoding.PNG)
                .setData(ByteBuffer.wrap(png(image)))
                .build();
    }

    /**
     * Reads an image file as it is; the trainer or embedder decodes and validates it.
     *
     * @param file a .png, .jpg or .jpeg file
     * @return the Avro image
     * @throws IOException when the file cannot be read or its extension is unknown
     */
    public static Image ofFile(final Path file) throws IOException {
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        final ImageEncoding encoding;
        if (name.endsWith(".png")) {
            encoding = ImageEncoding.PNG;
        } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            encoding = ImageEncoding.JPEG;
        } else {
            throw new IOException(file + ": only .png, .jpg and .jpeg files can be sent");
        }
        return Image.newBuilder()
                .setEncoding(encoding)
                .setData(ByteBuffer.wrap(Files.readAllBytes(file)))
                .build();
    }

    static byte[] png(final DecodedImage image) {
        final boolean grey = image.channels() == 1;
        final BufferedImage out = new BufferedImage(
                image.width(), image.height(), grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        if (grey) {
            out.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
        } else {
            final int[] rgb = new int[image.width() * image.height() * 3];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = image.pixels()[i] & 0xff;
            }
            out.getRaster().setPixels(0, 0, image.width(), image.height(), rgb);
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
