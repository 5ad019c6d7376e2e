package io.npid.indexer.knn;

import java.util.Comparator;
import java.util.Objects;

/**
 * One neighbour of a query: an image id, its similarity to the query and its class.
 *
 * @param id image id
 * @param similarity inner product of the unit vectors (cosine similarity)
 * @param className the image's class name (only labelled rows are candidates)
 */
public record Candidate(String id, float similarity, String className) {

    /** Best first: higher similarity, then the smaller id, so that every merge order gives the same list. */
    public static final Comparator<Candidate> BEST_FIRST =
            Comparator.comparingDouble((Candidate c) -> -c.similarity()).thenComparing(Candidate::id);

    /**
     * Validates the candidate.
     *
     * @throws NullPointerException if the id or the class name is null
     */
    public Candidate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(className, "className");
    }
}
