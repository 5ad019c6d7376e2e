package io.npid.indexer;

import static io.npid.schemas.DeadLetterReason.KEY_MISMATCH;
import static io.npid.schemas.DeadLetterReason.NULL_KEY;

import io.npid.indexer.internals.ShardInput;
import io.npid.indexer.internals.VectorCheck;
import io.npid.schemas.ClassName;
import io.npid.schemas.DeadLetters;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.SchemaDecodeException;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes the features topic: a FeatureEvent becomes a unit-vector {@link ShardInput.Feature}, a tombstone a
 * {@link ShardInput.Removal}; undecodable payloads, NaN or infinite values, a wrong dimension, a bad class name, a
 * negative int label, a missing key or a key that is not the event's id are rejected with that reason.
 */
final class FeatureDecodeProcessor extends DecodingProcessor<ShardInput> {

    private static final EventSerde<FeatureEvent> SERDE = EventSerde.of(FeatureEvent.class);

    private final int dimension;

    FeatureDecodeProcessor(final int dimension, final DeadLetters deadLetters) {
        super(deadLetters);
        this.dimension = dimension;
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final String key = keyOf(record);
        if (key == null) {
            reject(record, NULL_KEY.code(), "A feature record has no key; features are keyed by image id", null);
            return;
        }
        if (record.value() == null) {
            accept(record, key, new ShardInput.Removal(key));
            return;
        }
        final FeatureEvent event;
        try {
            event = SERDE.decode(record.value());
        } catch (final SchemaDecodeException e) {
            reject(record, e.getReason().code(), e.getMessage(), null);
            return;
        }
        if (!key.equals(event.getId())) {
            reject(
                    record,
                    KEY_MISMATCH.code(),
                    "Feature key '" + key + "' differs from its id '" + event.getId() + "'",
                    null);
            return;
        }
        final ClassName.Resolution className =
                ClassName.resolve(event.getLabel(), event.getClassName(), "feature " + key);
        if (className.rejected()) {
            reject(record, className.reason(), className.detail(), null);
            return;
        }
        final VectorCheck vector = VectorCheck.of(event.getVector(), dimension, "feature " + key);
        if (!vector.ok()) {
            DimensionNotice.observe("Feature", event.getVector(), dimension);
            reject(record, vector.reason(), vector.detail(), null);
            return;
        }
        accept(record, key, new ShardInput.Feature(key, vector.vector(), className.name(), event.getModelVersion()));
    }
}
