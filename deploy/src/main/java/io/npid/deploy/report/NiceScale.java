package io.npid.deploy.report;

/**
 * Round axis ticks (steps of 1, 2 or 5 times a power of ten) that cover a data range.
 *
 * @param min first tick, at or below the data minimum
 * @param max last tick, at or above the data maximum
 * @param step distance between ticks
 */
record NiceScale(double min, double max, double step) {

    /**
     * Chooses ticks for a range.
     *
     * @param lo smallest value to show
     * @param hi largest value to show
     * @param maxTicks about how many ticks fit
     * @return the scale
     */
    static NiceScale of(final double lo, final double hi, final int maxTicks) {
        double a = lo;
        double b = hi;
        if (!(b > a)) {
            // a flat or empty series still needs a visible range around it
            final double pad = a == 0 || !Double.isFinite(a) ? 1 : Math.abs(a) * 0.1;
            a = Double.isFinite(a) ? a - pad : 0;
            b = Double.isFinite(b) ? b + pad : 1;
        }
        final double rough = (b - a) / Math.max(1, maxTicks - 1);
        final double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        final double fraction = rough / magnitude;
        final double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        final double step = nice * magnitude;
        return new NiceScale(Math.floor(a / step) * step, Math.ceil(b / step) * step, step);
    }

    /** @return the tick values from min to max */
    double[] ticks() {
        final int n = (int) Math.round((max - min) / step) + 1;
        final double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = min + i * step;
        }
        return out;
    }

    /**
     * Formats a tick with as many decimals as the step needs.
     *
     * @param value tick value
     * @return the label
     */
    String label(final double value) {
        final int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (decimals == 0 && Math.abs(value) >= 10_000) {
            return String.format(java.util.Locale.ROOT, "%,.0f", value);
        }
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
    }
}
