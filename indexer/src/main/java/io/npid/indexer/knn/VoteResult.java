package io.npid.indexer.knn;

import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of a weighted kNN vote: the predicted class and the score of every class that had a neighbour.
 *
 * @param className the predicted class name (highest score, the smaller name on a tie), or null if nothing voted
 * @param classes the class names that had at least one neighbour, ascending ({@link String#compareTo})
 * @param scores {@code scores[i]} is the sum of {@code exp(similarity / T)} over the neighbours of
 *     {@code classes[i]}
 */
public record VoteResult(String className, String[] classes, double[] scores) {

    /** The result of a vote with no neighbours. */
    public static final VoteResult EMPTY = new VoteResult(null, new String[0], new double[0]);

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
    public boolean hasClass() {
        return className != null;
    }

    /**
     * The score of a class.
     *
     * @param name a class name
     * @return its score, 0 if it had no neighbour
     */
    public double scoreOf(final String name) {
        final int at = Arrays.binarySearch(classes, name);
        return at >= 0 ? scores[at] : 0.0;
    }

    @Override
    public String[] classes() {
        return classes.clone();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof VoteResult that
                && Objects.equals(className, that.className)
                && Arrays.equals(classes, that.classes)
                && Arrays.equals(scores, that.scores);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hashCode(className) + Arrays.hashCode(classes)) + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
        return "VoteResult[className=" + className + ", classes=" + Arrays.toString(classes) + ", scores="
                + Arrays.toString(scores) + "]";
    }
}
