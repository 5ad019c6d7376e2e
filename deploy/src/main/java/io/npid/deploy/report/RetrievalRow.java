package io.npid.deploy.report;

import java.util.List;

/**
 * One line of the retrieval figure: a test query, what the pipeline answered, and its nearest training images.
 *
 * @param query the query image
 * @param trueLabel the query's true class
 * @param predictedLabel the class the pipeline answered, or -1 when it gave none
 * @param neighbours nearest training images, most similar first
 */
public record RetrievalRow(ReportImage query, int trueLabel, int predictedLabel, List<Neighbour> neighbours) {

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
     * @param label its class, or -1 when unlabelled
     * @param similarity cosine similarity to the query
     */
    public record Neighbour(ReportImage image, int label, float similarity) {
    }
}
