package io.npid.trainer.data;

/**
 * Turns a {@link DecodedImage} into a normalised float CHW tensor, with the paper's random augmentation or without.
 *
 * <p>Augmentation: RandomResizedCrop (area scale from the spec, aspect 3/4..4/3, bilinear resize, torchvision's
 * sampling rule), horizontal flip, an optional random shift of up to {@code translate} pixels (zero fill), an
 * optional random rotation ({@link RandomRotation}), colour jitter ({@link ColourJitter}: brightness, contrast,
 * saturation, hue in random order for RGB; brightness and contrast for grey) and for RGB random greyscale, an
 * optional Gaussian blur ({@link RandomBlur}); then mean/std normalisation and an optional random erasing
 * ({@link RandomErasing}). All randomness comes from the {@link SplitMix64} passed in, so a
 * seeded generator reproduces the same output. Scratch buffers are reused: one instance per thread, not thread-safe.
 */
public final class Augmenter {
    private static final double LOG_RATIO_MIN = Math.log(3.0 / 4.0);
    private static final double LOG_RATIO_MAX = Math.log(4.0 / 3.0);

    private final AugmentationSpec spec;
    private final int size;
    private final float[][] planes;
    private final int[] x0;
    private final int[] x1;
    private final float[] wx;
    private final ColourJitter colour;
    private final float[] shifted;
    private final RandomErasing erasing;
    private final RandomRotation rotation;
    private final RandomBlur blur;

    /**
     * Creates an augmenter.
     *
     * @param spec output shape and augmentation strengths
     */
    public Augmenter(final AugmentationSpec spec) {
        this.spec = spec;
        this.size = spec.size();
        this.planes = new float[3][size * size];
        this.x0 = new int[size];
        this.x1 = new int[size];
        this.wx = new float[size];
        this.shifted = new float[size * size];
        this.colour = new ColourJitter(planes);
        this.erasing = new RandomErasing(spec.eraseProbability());
        this.rotation = new RandomRotation(spec.rotateDegrees(), size);
        this.blur = new RandomBlur(spec.blurProbability(), size);
    }

    /**
     * Returns the spec this augmenter produces.
     *
     * @return the spec
     */
    public AugmentationSpec spec() {
        return spec;
    }

    /**
     * Writes one randomly augmented view of the image into {@code out} at {@code offset}.
     *
     * @param image the source
     * @param rng the random source (advanced)
     * @param out destination, at least offset + spec.floatsPerImage() long
     * @param offset where the CHW tensor starts
     */
    public void augment(final DecodedImage image, final SplitMix64 rng, final float[] out, final int offset) {
        final int w = image.width();
        final int h = image.height();
        int cropW = 0;
        int cropH = 0;
        int top = 0;
        int left = 0;
        boolean found = false;
        for (int attempt = 0; attempt < 10 && !found; attempt++) {
            final double area = (double) w * h * rng.uniform(spec.cropScaleMin(), spec.cropScaleMax());
            final double aspect = Math.exp(rng.uniform(LOG_RATIO_MIN, LOG_RATIO_MAX));
            cropW = (int) Math.round(Math.sqrt(area * aspect));
            cropH = (int) Math.round(Math.sqrt(area / aspect));
            if (cropW > 0 && cropW <= w && cropH > 0 && cropH <= h) {
                top = rng.nextInt(h - cropH + 1);
                left = rng.nextInt(w - cropW + 1);
                found = true;
            }
        }
        if (!found) {
            // torchvision's fallback: the largest centred crop within the aspect range.
            final double ratio = (double) w / h;
            if (ratio < 0.75) {
                cropW = w;
                cropH = (int) Math.round(w / 0.75);
            } else if (ratio > 4.0 / 3.0) {
                cropH = h;
                cropW = (int) Math.round(h * 4.0 / 3.0);
            } else {
                cropW = w;
                cropH = h;
            }
            top = (h - cropH) / 2;
            left = (w - cropW) / 2;
        }
        final boolean flip = spec.flip() && rng.nextFloat() < 0.5f;
        resize(image, top, left, cropH, cropW, flip);
        if (spec.translate() > 0) {
            // drawn only when enabled, so specs without translation keep their exact random streams
            final int t = spec.translate();
            shift(image.channels(), rng.nextInt(2 * t + 1) - t, rng.nextInt(2 * t + 1) - t);
        }
        if (spec.rotateDegrees() > 0) {
            rotation.rotate(rng, planes, image.channels());
        }
        final boolean rgb = toOutputChannels(image.channels());
        if (rgb) {
            if (spec.colorJitter() > 0) {
                colour.jitter(rng, spec.colorJitter());
            }
            if (rng.nextDouble() < spec.grayscaleProbability()) {
                colour.toGrey();
            }
        } else if (spec.colorJitter() > 0) {
            colour.jitterGrey(rng, spec.colorJitter());
        }
        if (spec.blurProbability() > 0) {
            blur.blur(rng, planes, spec.channels());
        }
        normalise(out, offset);
        if (spec.eraseProbability() > 0) {
            erasing.erase(rng, out, offset, spec.channels(), size);
        }
    }

    /**
     * Writes the image's largest centred square, resized to the output size without augmentation, into {@code out}
     * at {@code offset}.
     *
     * @param image the source
     * @param out destination
     * @param offset where the CHW tensor starts
     */
    public void preprocess(final DecodedImage image, final float[] out, final int offset) {
        // resize + centre crop: the largest centred square, so that a photo keeps its proportions
        final int side = Math.min(image.width(), image.height());
        resize(image, (image.height() - side) / 2, (image.width() - side) / 2, side, side, false);
        toOutputChannels(image.channels());
        normalise(out, offset);
    }

    /**
     * Resizes the crop into planes[0..channels), values in [0, 1]: bilinear (align_corners=false), or area averaging
     * when the crop shrinks by 2 or more (bilinear would then skip input pixels and alias).
     */
    private void resize(
            final DecodedImage image,
            final int top,
            final int left,
            final int cropH,
            final int cropW,
            final boolean flip) {
        if (cropW >= 2 * size || cropH >= 2 * size) {
            resizeByArea(image, top, left, cropH, cropW, flip);
            return;
        }
        final int channels = image.channels();
        final int stride = image.width() * channels;
        final byte[] px = image.pixels();
        final float sx = (float) cropW / size;
        final float sy = (float) cropH / size;
        for (int x = 0; x < size; x++) {
            float src = (x + 0.5f) * sx - 0.5f;
            src = Math.max(0f, Math.min(src, cropW - 1));
            final int lo = (int) src;
            final int dst = flip ? size - 1 - x : x;
            x0[dst] = (left + lo) * channels;
            x1[dst] = (left + Math.min(lo + 1, cropW - 1)) * channels;
            wx[dst] = src - lo;
        }
        final float scale = 1f / 255f;
        for (int y = 0; y < size; y++) {
            float src = (y + 0.5f) * sy - 0.5f;
            src = Math.max(0f, Math.min(src, cropH - 1));
            final int lo = (int) src;
            final int row0 = (top + lo) * stride;
            final int row1 = (top + Math.min(lo + 1, cropH - 1)) * stride;
            final float wy = src - lo;
            for (int c = 0; c < channels; c++) {
                final float[] plane = planes[c];
                final int base = y * size;
                for (int x = 0; x < size; x++) {
                    final float a = px[row0 + x0[x] + c] & 0xFF;
                    final float b = px[row0 + x1[x] + c] & 0xFF;
                    final float d = px[row1 + x0[x] + c] & 0xFF;
                    final float e = px[row1 + x1[x] + c] & 0xFF;
                    final float top0 = a + (b - a) * wx[x];
                    final float bottom = d + (e - d) * wx[x];
                    plane[base + x] = (top0 + (bottom - top0) * wy) * scale;
                }
            }
        }
    }

    private void resizeByArea(
            final DecodedImage image,
            final int top,
            final int left,
            final int cropH,
            final int cropW,
            final boolean flip) {
        final int channels = image.channels();
        final float[] hwc =
                AreaResampler.resample(image.pixels(), image.width(), channels, top, left, cropH, cropW, size, size);
        final float scale = 1f / 255f;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                final int dst = y * size + (flip ? size - 1 - x : x);
                for (int c = 0; c < channels; c++) {
                    planes[c][dst] = hwc[(y * size + x) * channels + c] * scale;
                }
            }
        }
    }

    /** Moves planes[0..channels) by (dx, dy) pixels; uncovered pixels become 0 (black, the grey data sets' border). */
    private void shift(final int channels, final int dx, final int dy) {
        for (int c = 0; c < channels; c++) {
            final float[] plane = planes[c];
            java.util.Arrays.fill(shifted, 0f);
            for (int y = Math.max(0, dy); y < Math.min(size, size + dy); y++) {
                System.arraycopy(
                        plane,
                        (y - dy) * size + Math.max(0, -dx),
                        shifted,
                        y * size + Math.max(0, dx),
                        size - Math.abs(dx));
            }
            System.arraycopy(shifted, 0, plane, 0, size * size);
        }
    }

    /** Converts planes from the source channel count to the output one; returns whether the output is RGB. */
    private boolean toOutputChannels(final int sourceChannels) {
        final int n = size * size;
        if (spec.channels() == 1 && sourceChannels == 3) {
            for (int i = 0; i < n; i++) {
                planes[0][i] = ColourJitter.luma(planes[0][i], planes[1][i], planes[2][i]);
            }
        } else if (spec.channels() == 3 && sourceChannels == 1) {
            System.arraycopy(planes[0], 0, planes[1], 0, n);
            System.arraycopy(planes[0], 0, planes[2], 0, n);
        }
        return spec.channels() == 3;
    }

    private void normalise(final float[] out, final int offset) {
        final int n = size * size;
        final float[] mean = spec.mean();
        final float[] std = spec.std();
        for (int c = 0; c < spec.channels(); c++) {
            final float m = mean[c];
            final float inv = 1f / std[c];
            final float[] plane = planes[c];
            final int base = offset + c * n;
            for (int i = 0; i < n; i++) {
                out[base + i] = (plane[i] - m) * inv;
            }
        }
    }
}
