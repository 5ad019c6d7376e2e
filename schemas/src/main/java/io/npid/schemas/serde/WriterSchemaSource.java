package io.npid.schemas.serde;

import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Somewhere a reader can look up a writer schema it does not know by its single-object fingerprint, e.g. the
 * {@code schemas} topic that every writer registers its schemas in ({@code io.npid.schemas.kafka.SchemaTopic}).
 */
@FunctionalInterface
public interface WriterSchemaSource {

    /**
     * The writer schema with this fingerprint.
     *
     * @param fingerprint the CRC-64-AVRO fingerprint of the schema's parsing canonical form
     * @return the schema, with its defaults, or empty when no writer registered one
     */
    Optional<Schema> find(long fingerprint);
}
