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

    /** Default limits: {@link Topics#DEFAULT_IMAGE_MAX_BYTES} (8 MiB), 4096 x 4096. */
    public static final ImageLimits DEFAULTS = new ImageLimits(Topics.DEFAULT_IMAGE_MAX_BYTES, 4096, 4096);

    /** Checks the limits are positive. */
    public ImageLimits {
        if (maxImageBytes < 1 || maxWidth < 1 || maxHeight < 1) {
            throw new IllegalArgumentException("Image limits must be positive: " + maxImageBytes + ", "
                    + maxWidth + ", " + maxHeight);
        }
    }
}
