package io.npid.indexer.internals;

import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import java.util.Objects;

/**
 * What a decode step made of an input record: a value to process, or a rejection to route to dead-letters (and,
 * for a query that can be identified, an ERROR result so that its client is answered).
 *
 * @param <T> the decoded value type
 */
public sealed interface Routed<T> {

    /**
     * A good record.
     *
     * @param value the decoded value
     * @param <T> its type
     */
    record Accepted<T>(T value) implements Routed<T> {
        /**
         * Validates the value.
         *
         * @throws NullPointerException if it is null
         */
        public Accepted {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A bad record.
     *
     * @param deadLetter the dead letter to write
     * @param errorResult an ERROR result to write, or null when the record cannot be tied to a query
     * @param <T> the type the record would have had
     */
    record Rejected<T>(DeadLetter deadLetter, ClassificationResult errorResult) implements Routed<T> {
        /**
         * Validates the rejection.
         *
         * @throws NullPointerException if the dead letter is null
         */
        public Rejected {
            Objects.requireNonNull(deadLetter, "deadLetter");
        }
    }

    /**
     * Whether the record was rejected.
     *
     * @return true for {@link Rejected}
     */
    default boolean rejected() {
        return this instanceof Rejected;
    }
}
