package io.npid.trainer.data;

/**
 * Area-averaging (box filter) resampling of 8-bit HWC pixels: each output pixel is the mean of the input area it
 * covers, partial pixels weighted by their overlap. Used wherever an image shrinks by a large factor, where a
 * bilinear resize would read 4 input pixels of many and alias (a 4000x3000 photo to 32x32). Stateless.
 */
final class AreaResampler {

    private AreaResampler() {}

    /**
     * Resamples a crop of an image.
     *
     * @param px the source pixels, HWC
     * @param width source width
     * @param channels source channels
     * @param top crop's first row
     * @param left crop's first column
     * @param cropH crop height
     * @param cropW crop width
     * @param outH output height
     * @param outW output width
     * @return outH * outW * channels values in [0, 255], HWC
     */
    static float[] resample(
            final byte[] px,
            final int width,
            final int channels,
            final int top,
            final int left,
            final int cropH,
            final int cropW,
            final int outH,
            final int outW) {
        final Taps xs = Taps.of(cropW, outW);
        final Taps ys = Taps.of(cropH, outH);
        // horizontal pass over every crop row, then vertical: each source pixel is read once
        final float[] rows = new float[cropH * outW * channels];
        for (int y = 0; y < cropH; y++) {
            final int src = ((top + y) * width + left) * channels;
            final int dst = y * outW * channels;
            for (int o = 0; o < outW; o++) {
                final float[] w = xs.weights[o];
                final int first = src + xs.first[o] * channels;
                for (int c = 0; c < channels; c++) {
                    float sum = 0f;
                    for (int k = 0; k < w.length; k++) {
                        sum += w[k] * (px[first + k * channels + c] & 0xFF);
                    }
                    rows[dst + o * channels + c] = sum;
                }
            }
        }
        final int rowLength = outW * channels;
        final float[] out = new float[outH * rowLength];
        for (int o = 0; o < outH; o++) {
            final float[] w = ys.weights[o];
            final int dst = o * rowLength;
            for (int k = 0; k < w.length; k++) {
                final int src = (ys.first[o] + k) * rowLength;
                final float weight = w[k];
                for (int i = 0; i < rowLength; i++) {
                    out[dst + i] += weight * rows[src + i];
                }
            }
        }
        return out;
    }

    /** One axis: output o averages inputs [o*n/m, (o+1)*n/m), starting at first[o] with weights[o]. */
    private record Taps(int[] first, float[][] weights) {
        static Taps of(final int n, final int m) {
            final double scale = (double) n / m;
            final int[] first = new int[m];
            final float[][] weights = new float[m][];
            for (int o = 0; o < m; o++) {
                final double a = o * scale;
                final double b = Math.min(n, (o + 1) * scale);
                final int i0 = Math.min(n - 1, (int) Math.floor(a));
                final int i1 = Math.max(i0 + 1, Math.min(n, (int) Math.ceil(b - 1e-9)));
                first[o] = i0;
                weights[o] = new float[i1 - i0];
                double total = 0;
                for (int i = i0; i < i1; i++) {
                    total += Math.max(0, Math.min(b, i + 1) - Math.max(a, i));
                }
                for (int i = i0; i < i1; i++) {
                    weights[o][i - i0] = (float) (Math.max(0, Math.min(b, i + 1) - Math.max(a, i)) / total);
                }
            }
            return new Taps(first, weights);
        }
    }
}
