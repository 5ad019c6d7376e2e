package io.npid.indexer.knn;

import java.util.Arrays;

/**
 * The outcome of a weighted kNN vote: the predicted class and the score of every class that had a neighbour.
 *
 * @param label the predicted class (highest score, the smaller class on a tie), or -1 if nothing voted
 * @param classes the classes that had at least one neighbour, ascending
 * @param scores {@code scores[i]} is the sum of {@code exp(similarity / T)} over the neighbours of
 *     {@code classes[i]}
 */
public record VoteResult(int label, int[] classes, double[] scores) {

    /** The result of a vote with no neighbours. */
    public static final VoteResult EMPTY = new VoteResult(-1, new int[0], new double[0]);

    /**
     * Validates and copies the arrays.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public VoteResult {
        if (classes.length != scores.length) {
            throw new IllegalArgumentException(classes.length + " classes but " + scores.length + " scores");
        }
        classes = classes.clone();
        scores = scores.clone();
    }

    /**
     * Whether any neighbour voted.
     *
     * @return true if there is a prediction
     */
    public boolean hasLabel() {
        return label >= 0;
    }

    /**
     * The score of a class.
     *
     * @param label a class
     * @return its score, 0 if it had no neighbour
     */
    public double scoreOf(final int label) {
        final int at = Arrays.binarySearch(classes, label);
        return at >= 0 ? scores[at] : 0.0;
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof VoteResult that && label == that.label && Arrays.equals(classes, that.classes)
                && Arrays.equals(scores, that.scores);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * label + Arrays.hashCode(classes)) + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
        return "VoteResult[label=" + label + ", classes=" + Arrays.toString(classes) + ", scores="
                + Arrays.toString(scores) + "]";
    }
}
