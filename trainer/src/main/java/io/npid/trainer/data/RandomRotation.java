package io.npid.trainer.data;

/**
 * torchvision's RandomRotation(degrees, bilinear, fill 0) on the [0, 1] planes of a view: the view turns about its
 * centre by an angle drawn uniformly from [-degrees, degrees], and what comes in from outside the view is black, as
 * the random shift fills it. Small turns make two photos of one kind of object, posed a little differently, closer.
 */
final class RandomRotation {
    private final double degrees;
    private final int size;
    private final float[] rotated;

    RandomRotation(final double degrees, final int size) {
        this.degrees = degrees;
        this.size = size;
        this.rotated = new float[size * size];
    }

    /**
     * Rotates planes[0..channels) by one random angle (counter-clockwise for positive angles, as torchvision).
     *
     * @param rng the random source (advanced by one draw)
     * @param planes the view's planes, size * size each
     * @param channels how many planes hold the view
     */
    void rotate(final SplitMix64 rng, final float[][] planes, final int channels) {
        final double angle = Math.toRadians(rng.uniform(-degrees, degrees));
        final double cos = Math.cos(angle);
        final double sin = Math.sin(angle);
        for (int c = 0; c < channels; c++) {
            rotate(planes[c], cos, sin);
        }
    }

    /** Inverse mapping: each output pixel samples the source at its position turned back by the angle. */
    private void rotate(final float[] plane, final double cos, final double sin) {
        final double centre = (size - 1) / 2.0;
        for (int y = 0; y < size; y++) {
            final double dy = centre - y; // image rows grow downwards, the angle's y axis upwards
            for (int x = 0; x < size; x++) {
                final double dx = x - centre;
                final double sx = centre + cos * dx + sin * dy;
                final double sy = centre - (cos * dy - sin * dx);
                rotated[y * size + x] = bilinear(plane, sx, sy);
            }
        }
        System.arraycopy(rotated, 0, plane, 0, rotated.length);
    }

    private float bilinear(final float[] plane, final double x, final double y) {
        final int x0 = (int) Math.floor(x);
        final int y0 = (int) Math.floor(y);
        final float fx = (float) (x - x0);
        final float fy = (float) (y - y0);
        final float top = at(plane, x0, y0) * (1 - fx) + at(plane, x0 + 1, y0) * fx;
        final float bottom = at(plane, x0, y0 + 1) * (1 - fx) + at(plane, x0 + 1, y0 + 1) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private float at(final float[] plane, final int x, final int y) {
        return x < 0 || y < 0 || x >= size || y >= size ? 0f : plane[y * size + x];
    }
}
