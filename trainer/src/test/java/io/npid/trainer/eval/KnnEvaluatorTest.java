package io.npid.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnnEvaluatorTest {

    @Test
    void shouldMatchGoldenWeightedVote() throws IOException {
        final JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/knn_vote.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        final int dim = golden.get("dim").asInt();
        final KnnEvaluator knn = new KnnEvaluator(golden.get("k").asInt(), golden.get("temperature").asDouble());
        final KnnEvaluator.Result result = knn.evaluate(floats(golden.get("train_features")),
                ints(golden.get("train_labels")), floats(golden.get("queries")), ints(golden.get("query_labels")),
                dim, golden.get("classes").asInt());
        assertArrayEquals(ints(golden.get("predictions")), result.predictions());
        assertEquals(golden.get("accuracy").asDouble(), result.accuracy(), 1e-9);
        final float[] expected = floats(golden.get("class_scores"));
        double num = 0;
        double den = 0;
        int i = 0;
        for (final float[] row : result.classScores()) {
            for (final float v : row) {
                num += (v - expected[i]) * (v - expected[i]);
                den += expected[i] * expected[i];
                i++;
            }
        }
        assertEquals(0, Math.sqrt(num / den), 1e-5, "relative error of the class scores");
    }

    @Test
    void shouldPredictTheClassOfTheNearestClusters() {
        final float[] train = {1, 0, 0.9f, 0.1f, 0, 1, 0.1f, 0.9f};
        final int[] labels = {0, 0, 1, 1};
        final KnnEvaluator.Result r = new KnnEvaluator(2, 0.07).evaluate(train, labels,
                new float[] {5, 1, 1, 4}, new int[] {0, 1}, 2, 2);
        assertArrayEquals(new int[] {0, 1}, r.predictions());
        assertEquals(1.0, r.accuracy());
    }

    private static float[] floats(final JsonNode node) {
        final List<Double> out = new ArrayList<>();
        flatten(node, out);
        final float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i).floatValue();
        }
        return f;
    }

    private static int[] ints(final JsonNode node) {
        final float[] f = floats(node);
        final int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) f[i];
        }
        return out;
    }

    private static void flatten(final JsonNode node, final List<Double> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node.asDouble());
        }
    }
}
