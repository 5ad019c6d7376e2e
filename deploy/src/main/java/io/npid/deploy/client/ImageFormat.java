package io.npid.deploy.client;

import io.npid.schemas.event.ImageEncoding;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells PNG and JPEG files apart from everything else: cheaply by the file name (to skip other files without
 * reading them), then for sure by the first bytes (a {@code .jpg} that holds a PNG is sent as the PNG it is).
 */
public final class ImageFormat {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ImageFormat() {}

    /**
     * Says whether a file name promises an image npid reads.
     *
     * @param file a file
     * @return true for {@code .png}, {@code .jpg} and {@code .jpeg}, in any case
     */
    public static boolean hasImageName(final Path file) {
        final Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        final String s = name.toString().toLowerCase(Locale.ROOT);
        return s.endsWith(".png") || s.endsWith(".jpg") || s.endsWith(".jpeg");
    }

    /**
     * Recognises an encoded image by its first bytes.
     *
     * @param data the file's bytes (at least its first 8)
     * @return PNG or JPEG, or empty for anything else
     */
    public static Optional<ImageEncoding> sniff(final byte[] data) {
        if (startsWith(data, PNG_MAGIC)) {
            return Optional.of(ImageEncoding.PNG);
        }
        if (data.length >= 3 && (data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xd8 && (data[2] & 0xff) == 0xff) {
            return Optional.of(ImageEncoding.JPEG);
        }
        return Optional.empty();
    }

    private static boolean startsWith(final byte[] data, final byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
