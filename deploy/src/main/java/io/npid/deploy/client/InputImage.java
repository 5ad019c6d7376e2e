package io.npid.deploy.client;

import io.npid.schemas.Topics;
import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import io.npid.trainer.data.DecodedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One image a client sends: a PNG/JPEG file, sent as it is, or decoded pixels from a data set (IDX, CIFAR-10,
 * synthetic), sent RAW or as PNG. Each carries the id it is stored under and, when its source has one, its class.
 */
public sealed interface InputImage permits InputImage.File, InputImage.Pixels {

    /** @return the image id (the record key; re-sending the same id updates the same bank row) */
    String id();

    /** @return where it comes from, as the user knows it: a file path, or a data set record */
    String location();

    /** @return the class index (the label), or -1 when unlabelled */
    int label();

    /** @return the class name, or null when unlabelled */
    String className();

    /** @return whether it has a class */
    default boolean labelled() {
        return className() != null;
    }

    /**
     * The same image under another id.
     *
     * @param newId the id
     * @return the image
     */
    InputImage withId(String newId);

    /**
     * Builds the Avro image to send: a file's bytes as they are, or the pixels in the chosen encoding.
     *
     * @param maxBytes the largest image npid accepts ({@link Topics#IMAGE_MAX_BYTES_CONFIG})
     * @return the image
     * @throws SkippedImageException when the image is too large, unreadable or not a PNG/JPEG file; the
     *     message names the file
     */
    Image read(int maxBytes) throws SkippedImageException;

    /**
     * A PNG or JPEG file.
     *
     * @param id the image id
     * @param path the file, as the user gave it (joined with the path below the given folder)
     * @param label class index, or -1
     * @param className class name, or null
     */
    record File(String id, Path path, int label, String className) implements InputImage {
        @Override
        public String location() {
            return path.toString();
        }

        @Override
        public File withId(final String newId) {
            return new File(newId, path, label, className);
        }

        @Override
        public Image read(final int maxBytes) throws SkippedImageException {
            final long size;
            try {
                size = Files.size(path);
            } catch (IOException e) {
                throw new SkippedImageException(SkipReason.UNREADABLE, location(), describe(e));
            }
            // refused before it is read: a 50 MB panorama costs a stat, not 50 MB of heap
            if (size > maxBytes) {
                throw new SkippedImageException(
                        SkipReason.TOO_LARGE,
                        location(),
                        String.format(
                                Locale.ROOT,
                                "%,d bytes, over the %,d-byte limit %s",
                                size,
                                maxBytes,
                                Topics.IMAGE_MAX_BYTES_CONFIG));
            }
            final byte[] data;
            try (InputStream in = Files.newInputStream(path)) {
                data = in.readNBytes(maxBytes + 1);
            } catch (IOException e) {
                throw new SkippedImageException(SkipReason.UNREADABLE, location(), describe(e));
            }
            if (data.length > maxBytes) { // it grew since the stat
                throw new SkippedImageException(
                        SkipReason.TOO_LARGE,
                        location(),
                        String.format(
                                Locale.ROOT, "over the %,d-byte limit %s", maxBytes, Topics.IMAGE_MAX_BYTES_CONFIG));
            }
            final ImageEncoding encoding = ImageFormat.sniff(data)
                    .orElseThrow(() -> new SkippedImageException(
                            SkipReason.NOT_AN_IMAGE,
                            location(),
                            data.length == 0 ? "empty file" : "its bytes are neither PNG nor JPEG"));
            return Image.newBuilder()
                    .setEncoding(encoding)
                    .setData(ByteBuffer.wrap(data))
                    .build();
        }

        private static String describe(final IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    /**
     * Decoded pixels from a data set.
     *
     * @param id the image id
     * @param location the data set record, e.g. {@code fashion-mnist train #42}
     * @param pixels the image
     * @param encoding RAW or PNG
     * @param label class index, or -1
     * @param className class name, or null
     */
    record Pixels(String id, String location, DecodedImage pixels, ImageEncoding encoding, int label, String className)
            implements InputImage {
        @Override
        public Pixels withId(final String newId) {
            return new Pixels(newId, location, pixels, encoding, label, className);
        }

        @Override
        public Image read(final int maxBytes) throws SkippedImageException {
            final Image image = ImageEvents.of(pixels, encoding);
            if (image.getData().remaining() > maxBytes) {
                throw new SkippedImageException(
                        SkipReason.TOO_LARGE,
                        location,
                        String.format(
                                Locale.ROOT,
                                "%,d bytes, over the %,d-byte limit %s",
                                image.getData().remaining(),
                                maxBytes,
                                Topics.IMAGE_MAX_BYTES_CONFIG));
            }
            return image;
        }
    }
}
