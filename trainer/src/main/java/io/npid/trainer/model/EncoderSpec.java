package io.npid.trainer.model;

import io.npid.trainer.data.AugmentationSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to rebuild an encoder and feed it: backbone, embedding dimension, input shape and
 * normalisation; travels as the string map of a ModelCheckpoint.
 *
 * @param backbone backbone name
 * @param lowDim embedding dimension
 * @param channels input channels
 * @param imageSize input side
 * @param mean per-channel normalisation mean
 * @param std per-channel normalisation standard deviation
 */
public record EncoderSpec(String backbone, int lowDim, int channels, int imageSize, float[] mean, float[] std) {
    /** Map key of the backbone. */
    public static final String BACKBONE_KEY = "npid.backbone";
    /** Map key of the dimension. */
    public static final String LOW_DIM_KEY = "npid.low.dim";
    /** Map key of the input channels. */
    public static final String CHANNELS_KEY = "npid.input.channels";
    /** Map key of the input side. */
    public static final String IMAGE_SIZE_KEY = "npid.image.size";
    /** Map key of the mean. */
    public static final String MEAN_KEY = "npid.normalize.mean";
    /** Map key of the standard deviation. */
    public static final String STD_KEY = "npid.normalize.std";

    /**
     * Builds the spec of a learner's encoder.
     *
     * @param backbone backbone name
     * @param lowDim dimension
     * @param input the learner's augmentation (shape and normalisation)
     * @return the spec
     */
    public static EncoderSpec of(final String backbone, final int lowDim, final AugmentationSpec input) {
        return new EncoderSpec(backbone, lowDim, input.channels(), input.size(), input.mean(), input.std());
    }

    /**
     * Parses the map written by {@link #toMap()}.
     *
     * @param map the checkpoint's config map
     * @return the spec
     * @throws IllegalArgumentException naming the key that is missing or malformed
     */
    public static EncoderSpec fromMap(final Map<String, String> map) {
        return new EncoderSpec(
                require(map, BACKBONE_KEY),
                integer(map, LOW_DIM_KEY),
                integer(map, CHANNELS_KEY),
                integer(map, IMAGE_SIZE_KEY),
                floats(map, MEAN_KEY),
                floats(map, STD_KEY));
    }

    /**
     * Returns the spec as strings.
     *
     * @return an ordered map
     */
    public Map<String, String> toMap() {
        final Map<String, String> out = new LinkedHashMap<>();
        out.put(BACKBONE_KEY, backbone);
        out.put(LOW_DIM_KEY, Integer.toString(lowDim));
        out.put(CHANNELS_KEY, Integer.toString(channels));
        out.put(IMAGE_SIZE_KEY, Integer.toString(imageSize));
        out.put(MEAN_KEY, join(mean));
        out.put(STD_KEY, join(std));
        return out;
    }

    /**
     * Returns the eval-time input pipeline (resize and normalise, no augmentation).
     *
     * @return an augmentation spec whose random parts are unused by preprocessing
     */
    public AugmentationSpec input() {
        return new AugmentationSpec(imageSize, channels, 1.0, 1.0, false, 0, 0, mean, std);
    }

    private static String join(final float[] values) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        return sb.toString();
    }

    private static String require(final Map<String, String> map, final String key) {
        final String value = map.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Encoder config lacks " + key + " (have " + map.keySet() + ")");
        }
        return value;
    }

    private static int integer(final Map<String, String> map, final String key) {
        try {
            return Integer.parseInt(require(map, key).trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("Encoder config " + key + "=" + map.get(key) + " is not an integer");
        }
    }

    private static float[] floats(final Map<String, String> map, final String key) {
        try {
            final String[] parts = require(map, key).split(",");
            final float[] out = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = Float.parseFloat(parts[i].trim());
            }
            return out;
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("Encoder config " + key + "=" + map.get(key) + " is not a number list");
        }
    }

    @Override
    public String toString() {
        return "EncoderSpec" + toMap();
    }
}
