package io.npid.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.golden.GoldenCase;
import org.junit.jupiter.api.Test;

class KnnEvaluatorTest {

    @Test
    void shouldMatchGoldenWeightedVote() {
        final GoldenCase golden = GoldenCase.load("knn_vote.json");
        final KnnEvaluator knn = new KnnEvaluator(golden.integer("k"), golden.number("temperature"));
        final KnnEvaluator.Result result = knn.evaluate(
                golden.floats("train_features"),
                golden.ints("train_labels"),
                golden.floats("queries"),
                golden.ints("query_labels"),
                golden.integer("dim"),
                golden.integer("classes"));
        assertArrayEquals(golden.ints("predictions"), result.predictions());
        assertEquals(golden.number("accuracy"), result.accuracy(), 1e-9);
        final float[] scores = new float[result.classScores().length * golden.integer("classes")];
        for (int q = 0; q < result.classScores().length; q++) {
            System.arraycopy(
                    result.classScores()[q], 0, scores, q * golden.integer("classes"), golden.integer("classes"));
        }
        final double error = GoldenCase.relativeError(scores, golden.doubles("class_scores"));
        assertTrue(error <= 1e-5, "relative error of the class scores " + error);
    }

    @Test
    void shouldPredictTheClassOfTheNearestClusters() {
        final float[] train = {1, 0, 0.9f, 0.1f, 0, 1, 0.1f, 0.9f};
        final int[] labels = {0, 0, 1, 1};
        final KnnEvaluator.Result r =
                new KnnEvaluator(2, 0.07).evaluate(train, labels, new float[] {5, 1, 1, 4}, new int[] {0, 1}, 2, 2);
        assertArrayEquals(new int[] {0, 1}, r.predictions());
        assertEquals(1.0, r.accuracy());
    }
}
