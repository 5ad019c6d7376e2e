package io.npid.trainer.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a golden JSON file (copied from the PyTorch reference into test resources) and flattens its arrays. */
public final class GoldenCase {
    private final JsonNode root;

    private GoldenCase(final JsonNode root) {
        this.root = root;
    }

    public static GoldenCase load(final String name) {
        try (InputStream in = GoldenCase.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource /golden/" + name);
            }
            return new GoldenCase(new ObjectMapper().readTree(in));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int integer(final String key) {
        return root.get(key).asInt();
    }

    public double number(final String key) {
        return root.get(key).asDouble();
    }

    public boolean isNull(final String key) {
        return root.get(key) == null || root.get(key).isNull();
    }

    public float[] floats(final String key) {
        final double[] d = doubles(key);
        final float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    public double[] doubles(final String key) {
        final java.util.List<Double> out = new java.util.ArrayList<>();
        flatten(root.get(key), out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public int[] ints(final String key) {
        final double[] d = doubles(key);
        final int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }

    public long[] longs(final String key) {
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
    public static double relativeError(final float[] x, final double[] ref) {
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
