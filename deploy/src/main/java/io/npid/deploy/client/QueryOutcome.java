package io.npid.deploy.client;

import io.npid.schemas.event.ClassificationResult;

/**
 * What came back for one query.
 *
 * @param queryId the query's id
 * @param result the first result read for it, or null when none came before the deadline
 * @param latencyMs from handing the query to the producer to reading its result; NaN without a result
 * @param duplicates results read for the query after the first (at-least-once redelivery)
 */
public record QueryOutcome(String queryId, ClassificationResult result, double latencyMs, int duplicates) {

    /** @return whether a result came */
    public boolean answered() {
        return result != null;
    }
}
