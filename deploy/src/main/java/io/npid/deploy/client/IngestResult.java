package io.npid.deploy.client;

/**
 * What {@link DatasetIngestor#ingest} sent, acknowledged by the broker.
 *
 * @param images image events acknowledged
 * @param labels label events acknowledged
 * @param seconds from the first send to the last acknowledgement
 */
public record IngestResult(long images, long labels, double seconds) {

    /** @return images acknowledged per second */
    public double imagesPerSecond() {
        return seconds <= 0 ? 0 : images / seconds;
    }
}
