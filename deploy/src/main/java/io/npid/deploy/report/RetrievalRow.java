package io.npid.deploy.report;

import java.util.List;

/**
 * One line of the retrieval figure: a test query, what the pipeline answered, and its nearest training images,
 * with classes named as the pipeline names them.
 *
 * @param query the query image
 * @param trueClass the query's true class name
 * @param predictedClass the class name the pipeline answered, or null when it gave none
 * @param neighbours nearest training images, most similar first
 */
public record RetrievalRow(ReportImage query, String trueClass, String predictedClass, List<Neighbour> neighbours) {

    /**
     * Copies the neighbour list.
     */
    public RetrievalRow {
        neighbours = List.copyOf(neighbours);
    }

    /**
     * A retrieved training image.
     *
     * @param image the image
     * @param className its class name, or null when unlabelled
     * @param similarity cosine similarity to the query
     */
    public record Neighbour(ReportImage image, String className, float similarity) {}
}
