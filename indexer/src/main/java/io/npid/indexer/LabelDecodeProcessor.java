package io.npid.indexer;

import io.npid.indexer.internals.ShardInput;
import io.npid.indexer.knn.FlatIndex;
import io.npid.schemas.DeadLetters;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.SchemaDecodeException;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes the labels topic into {@link ShardInput.Label}s; a tombstone clears the label; undecodable payloads,
 * negative labels, missing keys and keys that are not the event's id are rejected.
 */
final class LabelDecodeProcessor extends DecodingProcessor<ShardInput> {

    private static final EventSerde<LabelEvent> SERDE = EventSerde.of(LabelEvent.class);

    LabelDecodeProcessor(final DeadLetters deadLetters) {
        super(deadLetters);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final String key = keyOf(record);
        if (key == null) {
            reject(record, NULL_KEY, "A label record has no key; labels are keyed by image id", null);
            return;
        }
        if (record.value() == null) {
            accept(record, key, new ShardInput.Label(key, FlatIndex.NO_LABEL));
            return;
        }
        final LabelEvent event;
        try {
            event = SERDE.decode(record.value());
        } catch (final SchemaDecodeException e) {
            reject(record, e.getReason().code(), e.getMessage(), null);
            return;
        }
        if (!key.equals(event.getId())) {
            reject(record, KEY_MISMATCH, "Label key '" + key + "' differs from its id '" + event.getId() + "'",
                    null);
            return;
        }
        if (event.getLabel() < 0) {
            reject(record, NEGATIVE_LABEL, "Label of " + key + " is " + event.getLabel()
                    + "; labels are class indexes >= 0", null);
            return;
        }
        accept(record, key, new ShardInput.Label(key, event.getLabel()));
    }
}
