package io.npid.indexer.knn;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The weighted k-nearest-neighbour vote of Wu et al. (2018): each neighbour adds {@code exp(similarity / T)} to
 * its class (a class is its name), and the class with the highest total wins; on a tie, the smaller name.
 *
 * <p>Immutable and thread-safe.
 */
public final class KnnVote {

    /** The paper's vote temperature. */
    public static final double DEFAULT_TEMPERATURE = 0.07;
    /** The paper's neighbour count. */
    public static final int DEFAULT_K = 200;

    private final double temperature;

    /**
     * Creates the vote.
     *
     * @param temperature T, greater than 0 and finite
     * @throws IllegalArgumentException if T is not a positive finite number
     */
    public KnnVote(final double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("Vote temperature must be a positive finite number, not " + temperature);
        }
        this.temperature = temperature;
    }

    /**
     * The temperature T.
     *
     * @return T
     */
    public double temperature() {
        return temperature;
    }

    /**
     * Votes over neighbours.
     *
     * @param neighbours the top-k neighbours, in any order
     * @return the predicted class and per-class scores, {@link VoteResult#EMPTY} if the list is empty
     */
    public VoteResult vote(final List<Candidate> neighbours) {
        if (neighbours.isEmpty()) {
            return VoteResult.EMPTY;
        }
        // Few classes among k neighbours: a sorted map gives the classes in name order, and each class's sum is
        // added in neighbour order, so the scores do not depend on how the map is laid out.
        final TreeMap<String, double[]> byClass = new TreeMap<>();
        for (final Candidate neighbour : neighbours) {
            byClass.computeIfAbsent(neighbour.className(), name -> new double[1])[0] +=
                    Math.exp(neighbour.similarity() / temperature);
        }
        final String[] classes = new String[byClass.size()];
        final double[] scores = new double[classes.length];
        int i = 0;
        for (final Map.Entry<String, double[]> entry : byClass.entrySet()) {
            classes[i] = entry.getKey();
            scores[i++] = entry.getValue()[0];
        }
        int best = 0;
        for (int c = 1; c < classes.length; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return new VoteResult(classes[best], classes, scores);
    }

    @Override
    public String toString() {
        return "KnnVote[temperature=" + temperature + "]";
    }
}
