package io.npid.indexer.knn;

import java.util.Arrays;
import java.util.List;

/**
 * The weighted k-nearest-neighbour vote of Wu et al. (2018): each neighbour adds {@code exp(similarity / T)} to
 * its class, and the class with the highest total wins.
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
            throw new IllegalArgumentException("Vote temperature must be a positive finite number, not "
                    + temperature);
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
     * @param neighbours the top-k neighbours, in any order; labels at least 0
     * @return the prediction and per-class scores, {@link VoteResult#EMPTY} if the list is empty
     * @throws IllegalArgumentException if a label is negative
     */
    public VoteResult vote(final List<Candidate> neighbours) {
        if (neighbours.isEmpty()) {
            return VoteResult.EMPTY;
        }
        final int[] labels = new int[neighbours.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = neighbours.get(i).label();
            if (labels[i] < 0) {
                throw new IllegalArgumentException("Neighbour " + neighbours.get(i).id() + " has no label ("
                        + labels[i] + "); only labelled rows vote");
            }
        }
        final int[] classes = Arrays.stream(labels).distinct().sorted().toArray();
        final double[] scores = new double[classes.length];
        for (final Candidate neighbour : neighbours) {
            scores[Arrays.binarySearch(classes, neighbour.label())] += Math.exp(neighbour.similarity() / temperature);
        }
        int best = 0;
        for (int i = 1; i < classes.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return new VoteResult(classes[best], classes, scores);
    }

    @Override
    public String toString() {
        return "KnnVote[temperature=" + temperature + "]";
    }
}
