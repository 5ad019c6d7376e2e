package io.npid.trainer.data;

import io.npid.schemas.Topics;

/**
 * Limits an image must respect to be accepted by {@link ImageDecoder}.
 *
 * @param maxImageBytes largest encoded payload in bytes
 * @param maxWidth largest width in pixels
 * @param maxHeight largest height in pixels
 */
public record ImageLimits(int maxImageBytes, int maxWidth, int maxHeight) {

    /**
     * Default limits: {@link Topics#DEFAULT_IMAGE_MAX_BYTES} (8 MiB), 8192 x 8192 (a 6000x4000 camera photo passes;
     * decoding it takes about 150 MB).
     */
    public static final ImageLimits DEFAULTS = new ImageLimits(Topics.DEFAULT_IMAGE_MAX_BYTES, 8192, 8192);

    /** Checks the limits are positive. */
    public ImageLimits {
        if (maxImageBytes < 1 || maxWidth < 1 || maxHeight < 1) {
            throw new IllegalArgumentException(
                    "Image limits must be positive: " + maxImageBytes + ", " + maxWidth + ", " + maxHeight);
        }
    }
}
