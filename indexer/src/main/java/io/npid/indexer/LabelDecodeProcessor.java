package io.npid.indexer;

import static io.npid.schemas.DeadLetterReason.KEY_MISMATCH;
import static io.npid.schemas.DeadLetterReason.NULL_KEY;

import io.npid.indexer.internals.ShardInput;
import io.npid.schemas.ClassName;
import io.npid.schemas.DeadLetters;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.SchemaDecodeException;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes the labels topic into {@link ShardInput.Label}s naming the class ({@link ClassName}: the className, else
 * the int label's decimal string); a tombstone clears the label; undecodable payloads, bad class names, negative
 * int labels, missing keys and keys that are not the event's id are rejected.
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
            reject(record, NULL_KEY.code(), "A label record has no key; labels are keyed by image id", null);
            return;
        }
        if (record.value() == null) {
            accept(record, key, new ShardInput.Label(key, null));
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
            reject(
                    record,
                    KEY_MISMATCH.code(),
                    "Label key '" + key + "' differs from its id '" + event.getId() + "'",
                    null);
            return;
        }
        final ClassName.Resolution className =
                ClassName.resolve(event.getLabel(), event.getClassName(), "label " + key);
        if (className.rejected()) {
            reject(record, className.reason(), className.detail(), null);
            return;
        }
        accept(record, key, new ShardInput.Label(key, className.name()));
    }
}
