package io.npid.deploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The one counter of rejected records, tagged by process, source topic and reason code. */
public final class DeadLetterMeters {
    /** Meter name. */
    public static final String NAME = "npid.dead.letters";

    private DeadLetterMeters() {}

    /**
     * Counts one dead letter.
     *
     * @param registry the registry
     * @param process which process rejected the record
     * @param topic the record's topic
     * @param reason the reason code, e.g. undecodable-image
     */
    public static void count(
            final MeterRegistry registry, final String process, final String topic, final String reason) {
        Counter.builder(NAME)
                .description("Records sent to dead-letters")
                .tag("rejected.by", process)
                .tag("topic", topic)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
