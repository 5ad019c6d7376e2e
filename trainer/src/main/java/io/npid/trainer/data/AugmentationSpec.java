package io.npid.trainer.data;

import java.util.Arrays;

/**
 * What the augmenter produces and how strongly it perturbs: output shape, crop, flip, colour and normalisation.
 *
 * @param size output width and height
 * @param channels output channels, 1 or 3 (inputs are converted)
 * @param cropScaleMin smallest crop area as a fraction of the image (paper 0.2)
 * @param cropScaleMax largest crop area fraction (1)
 * @param flip whether to flip horizontally with probability 0.5
 * @param colorJitter brightness and contrast strength, and for RGB saturation and hue too (0.4; 0 disables)
 * @param grayscaleProbability probability of converting an RGB crop to grey (0.2)
 * @param mean per-channel mean subtracted after scaling to [0, 1]
 * @param std per-channel standard deviation divided by
 * @param translate largest random shift in pixels along x and y after the crop, zero-filled (0 = none)
 * @param eraseProbability probability of erasing one random rectangle of the normalised view (0 disables)
 * @param rotateDegrees largest random rotation in degrees, either way, after the shift, zero-filled (0 = none)
 * @param blurProbability probability of SimCLR's Gaussian blur of the view before normalisation (0 disables)
 */
public record AugmentationSpec(
        int size,
        int channels,
        double cropScaleMin,
        double cropScaleMax,
        boolean flip,
        double colorJitter,
        double grayscaleProbability,
        float[] mean,
        float[] std,
        int translate,
        double eraseProbability,
        double rotateDegrees,
        double blurProbability) {

    /** Fashion-MNIST pixel statistics, used as the grey default. */
    public static final float[] GREY_MEAN = {0.2860f};
    /** Fashion-MNIST pixel standard deviation. */
    public static final float[] GREY_STD = {0.3530f};
    /** CIFAR-10 statistics as in the authors' code, used as the RGB default. */
    public static final float[] RGB_MEAN = {0.4914f, 0.4822f, 0.4465f};
    /** CIFAR-10 standard deviations. */
    public static final float[] RGB_STD = {0.2023f, 0.1994f, 0.2010f};

    /** Validates the ranges. */
    public AugmentationSpec {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1, got " + size);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (!(cropScaleMin > 0 && cropScaleMin <= cropScaleMax && cropScaleMax <= 1)) {
            throw new IllegalArgumentException(
                    "crop scale must satisfy 0 < min <= max <= 1, got " + cropScaleMin + ".." + cropScaleMax);
        }
        if (translate < 0 || translate >= size) {
            throw new IllegalArgumentException("translate must be in [0, size), got " + translate);
        }
        if (!(eraseProbability >= 0 && eraseProbability <= 1)) {
            throw new IllegalArgumentException("eraseProbability must be in [0, 1], got " + eraseProbability);
        }
        if (!(rotateDegrees >= 0 && rotateDegrees <= 180)) {
            throw new IllegalArgumentException("rotateDegrees must be in [0, 180], got " + rotateDegrees);
        }
        if (!(blurProbability >= 0 && blurProbability <= 1)) {
            throw new IllegalArgumentException("blurProbability must be in [0, 1], got " + blurProbability);
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("mean and std need " + channels + " values");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Creates a spec without random translation, erasing, rotation or blur.
     *
     * @param size output width and height
     * @param channels output channels
     * @param cropScaleMin smallest crop area fraction
     * @param cropScaleMax largest crop area fraction
     * @param flip random horizontal flip
     * @param colorJitter jitter strength
     * @param grayscaleProbability probability of a grey RGB crop
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     */
    public AugmentationSpec(
            final int size,
            final int channels,
            final double cropScaleMin,
            final double cropScaleMax,
            final boolean flip,
            final double colorJitter,
            final double grayscaleProbability,
            final float[] mean,
            final float[] std) {
        this(
                size,
                channels,
                cropScaleMin,
                cropScaleMax,
                flip,
                colorJitter,
                grayscaleProbability,
                mean,
                std,
                0,
                0,
                0,
                0);
    }

    /**
     * Returns the paper's defaults for the given output shape.
     *
     * @param size output size
     * @param channels output channels
     * @return the spec
     */
    public static AugmentationSpec defaults(final int size, final int channels) {
        return new AugmentationSpec(
                size,
                channels,
                0.2,
                1.0,
                true,
                0.4,
                0.2,
                channels == 1 ? GREY_MEAN : RGB_MEAN,
                channels == 1 ? GREY_STD : RGB_STD);
    }

    /**
     * Returns the number of floats one output image occupies.
     *
     * @return channels * size * size
     */
    public int floatsPerImage() {
        return channels * size * size;
    }

    @Override
    public String toString() {
        return "AugmentationSpec[size=" + size + ", channels=" + channels + ", crop=" + cropScaleMin + ".."
                + cropScaleMax + ", flip=" + flip + ", jitter=" + colorJitter + ", grey=" + grayscaleProbability
                + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ", translate=" + translate
                + ", erase=" + eraseProbability + ", rotate=" + rotateDegrees + ", blur=" + blurProbability + "]";
    }
}
