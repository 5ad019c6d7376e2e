package io.npid.schemas.kafka;

/**
 * One way an existing topic differs from what npid-stream needs.
 *
 * @param topic full topic name
 * @param setting {@code partitions}, a topic config key such as {@code cleanup.policy}, or {@code exists}
 * @param expected the value npid-stream needs
 * @param actual the value the cluster has
 */
public record TopicMismatch(String topic, String setting, String expected, String actual) {

    @Override
    public String toString() {
        // a size limit may be larger than npid needs, never smaller
        final String wanted =
                "max.message.bytes".equals(setting) ? "at least '" + expected + "'" : "'" + expected + "'";
        return "topic " + topic + ": " + setting + " is '" + actual + "', expected " + wanted;
    }
}
