package io.npid.deploy.client;

import java.util.EnumMap;
import java.util.Map;

/**
 * What one ingest sent, acknowledged by the broker, and what it skipped.
 *
 * @param images image events acknowledged
 * @param labels label events acknowledged
 * @param seconds from the first send to the last acknowledgement
 * @param skipped images not sent, by reason (reasons with none left out)
 */
public record IngestResult(long images, long labels, double seconds, Map<SkipReason, Long> skipped) {

    /** Copies the counts. */
    public IngestResult {
        skipped = skipped.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(skipped));
    }

    /** @return images acknowledged per second */
    public double imagesPerSecond() {
        return seconds <= 0 ? 0 : images / seconds;
    }

    /** @return images not sent, all reasons */
    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }
}
