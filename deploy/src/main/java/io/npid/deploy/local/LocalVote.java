package io.npid.deploy.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vote temperature a local run's test queries were answered with, and where it came from.
 *
 * @param temperature the indexer's vote T for the test queries
 * @param chosenBy {@code validation} (chosen on a validation split of the labelled training images), {@code set}
 *     (given with {@code --set npid.knn.temperature}) or {@code default} (the paper's, when a streamed run's
 *     labels are partial or the training set is too small to hold out a validation split)
 * @param validationTop1 kNN top-1 on the validation split at the chosen T, NaN unless chosen by validation
 * @param paperTop1 kNN top-1 on the validation split at the paper's T 0.07, NaN unless chosen by validation
 * @param validationImages training images held out as validation queries, 0 unless chosen by validation
 */
public record LocalVote(
        double temperature, String chosenBy, double validationTop1, double paperTop1, int validationImages) {

    /**
     * A temperature that was not chosen here.
     *
     * @param temperature the indexer's T
     * @param chosenBy {@code set} or {@code default}
     * @return the vote
     */
    static LocalVote given(final double temperature, final String chosenBy) {
        return new LocalVote(temperature, chosenBy, Double.NaN, Double.NaN, 0);
    }

    /** @return the JSON object */
    Map<String, Object> toJson() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", temperature);
        m.put("chosen_by", chosenBy);
        if (validationImages > 0) {
            m.put("validation_top1", validationTop1);
            m.put("validation_top1_at_0.07", paperTop1);
            m.put("validation_images", validationImages);
        }
        return m;
    }
}
