package io.npid.deploy.client;

import io.npid.schemas.event.ImageEncoding;

/**
 * How {@link DatasetIngestor} sends a data set.
 *
 * @param idPrefix prefix of the image ids; the image's index in the data set follows, e.g. {@code train-00042}
 * @param source the {@code source} field of every ImageEvent, e.g. the data set's name
 * @param encoding RAW or PNG
 * @param labels whether to send each image's label on the labels topic (the images themselves go unlabelled)
 * @param limit how many images to send from the start of the data set (at most its size)
 */
public record IngestPlan(String idPrefix, String source, ImageEncoding encoding, boolean labels, int limit) {

    /**
     * The id of the image at an index.
     *
     * @param index position in the data set
     * @return the id
     */
    public String id(final int index) {
        return String.format(java.util.Locale.ROOT, "%s%05d", idPrefix, index);
    }
}
