package io.npid.deploy.local;

import io.npid.deploy.client.ImageHeader;
import java.util.List;

/**
 * The model's input of a local run: the side images are resized to and the channel count
 * ({@code npid.image.size}, {@code npid.image.channels}).
 *
 * @param size input side in pixels
 * @param channels 1 (grey) or 3 (RGB)
 * @param why how it was chosen, for the run's description
 */
public record ModelInput(int size, int channels, String why) {
    /** The largest common image side used as it is; photos of other sizes are resized to {@link #PHOTO_SIZE}. */
    static final int MAX_NATIVE_SIZE = 64;
    /** The side for photos of mixed or large sizes: CIFAR-10's, small enough to train on a CPU. */
    static final int PHOTO_SIZE = 32;

    /**
     * Chooses the input from the images' headers: when all have one size of at most {@value #MAX_NATIVE_SIZE}
     * pixels, their longer side; otherwise {@value #PHOTO_SIZE}. Three channels if any image has colour, else one.
     *
     * @param headers the headers of the images (those that could be read)
     * @return the input
     */
    public static ModelInput infer(final List<ImageHeader> headers) {
        if (headers.isEmpty()) {
            return new ModelInput(PHOTO_SIZE, 3, "no readable image header");
        }
        final ImageHeader first = headers.get(0);
        final boolean oneSize =
                headers.stream().allMatch(h -> h.width() == first.width() && h.height() == first.height());
        final int side = Math.max(first.width(), first.height());
        final boolean colour = headers.stream().anyMatch(ImageHeader::colour);
        final int size = oneSize && side <= MAX_NATIVE_SIZE ? side : PHOTO_SIZE;
        final String sizeWhy = oneSize && side <= MAX_NATIVE_SIZE
                ? "all images are " + first.width() + "x" + first.height()
                : (oneSize
                                ? "all images are " + first.width() + "x" + first.height() + ", larger than "
                                        + MAX_NATIVE_SIZE
                                : "images of several sizes")
                        + ": resized to " + PHOTO_SIZE;
        return new ModelInput(size, colour ? 3 : 1, sizeWhy + (colour ? "; some have colour" : "; all grey"));
    }

    /**
     * Replaces what the options give.
     *
     * @param imageSize {@code --image-size}, or null
     * @param imageChannels {@code --channels}, or null
     * @return the input with the options applied
     */
    public ModelInput with(final Integer imageSize, final Integer imageChannels) {
        if (imageSize == null && imageChannels == null) {
            return this;
        }
        return new ModelInput(
                imageSize != null ? imageSize : size,
                imageChannels != null ? imageChannels : channels,
                "set by --image-size/--channels");
    }
}
