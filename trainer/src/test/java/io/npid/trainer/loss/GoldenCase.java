package io.npid.trainer.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a golden JSON file from test resources and flattens its arrays. */
final class GoldenCase {
    private final JsonNode root;

    private GoldenCase(final JsonNode root) {
        this.root = root;
    }

    static GoldenCase load(final String name) {
        try (InputStream in = GoldenCase.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource /golden/" + name);
            }
            return new GoldenCase(new ObjectMapper().readTree(in));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int integer(final String key) {
        return root.get(key).asInt();
    }

    double number(final String key) {
        return root.get(key).asDouble();
    }

    boolean isNull(final String key) {
        return root.get(key) == null || root.get(key).isNull();
    }

    float[] floats(final String key) {
        final double[] d = doubles(key);
        final float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    double[] doubles(final String key) {
        final java.util.List<Double> out = new java.util.ArrayList<>();
        flatten(root.get(key), out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    long[] longs(final String key) {
        final double[] d = doubles(key);
        final long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
        }
        return l;
    }

    private static void flatten(final JsonNode node, final java.util.List<Double> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node.asDouble());
        }
    }

    /** Relative error ||x - ref|| / ||ref||. */
    static double relativeError(final float[] x, final double[] ref) {
        if (x.length != ref.length) {
            throw new AssertionError("length " + x.length + " != " + ref.length);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - ref[i]) * (x[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }
}
