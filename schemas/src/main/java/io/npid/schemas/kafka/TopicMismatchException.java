package io.npid.schemas.kafka;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when existing topics do not have the partitions or configs npid-stream needs; lists every difference. */
public final class TopicMismatchException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<TopicMismatch> mismatches;

    /**
     * Creates the exception.
     *
     * @param mismatches every difference found, at least one
     */
    public TopicMismatchException(final List<TopicMismatch> mismatches) {
        super("Existing topics do not match what npid-stream needs: "
                + mismatches.stream().map(TopicMismatch::toString).collect(Collectors.joining("; "))
                + ". Change the topics (npid topics raises a too-small max.message.bytes; kafka-configs.sh / "
                + "kafka-topics.sh for the rest), set npid.topic.partitions to their partition count, or use another "
                + "npid.topic.prefix.");
        this.mismatches = List.copyOf(mismatches);
    }

    /**
     * The differences found.
     *
     * @return the mismatches, in topic order
     */
    public List<TopicMismatch> mismatches() {
        return mismatches;
    }
}
