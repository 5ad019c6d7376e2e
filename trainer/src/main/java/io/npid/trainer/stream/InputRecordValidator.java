package io.npid.trainer.stream;

import static io.npid.schemas.DeadLetterReason.EMPTY_ID;
import static io.npid.schemas.DeadLetterReason.KEY_MISMATCH;
import static io.npid.schemas.DeadLetterReason.NULL_KEY;
import static io.npid.schemas.DeadLetterReason.TOMBSTONE;

import io.npid.schemas.ClassName;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.SchemaDecodeException;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageDecoder;
import io.npid.trainer.data.ImageLimits;
import io.npid.trainer.data.ImageRejectedException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Checks one raw record from the {@code images} or {@code labels} topic and says whether the trainer accepts it.
 *
 * <p>Every check that can fail on producer input happens here, inside a try, so that a bad record becomes a
 * {@link Rejected} with a stable reason code (the dead letter's reason) instead of an exception in the loop.
 * Stateless apart from its deserializers; used by the training thread only.
 */
public final class InputRecordValidator {
    /** An int label below zero. */
    public static final String NEGATIVE_LABEL = ClassName.NEGATIVE_LABEL;
    /** A class name that is blank, holds a control character or is too long. */
    public static final String BAD_CLASS_NAME = ClassName.BAD_CLASS_NAME;
    /** The value could not be decoded for a reason other than a SchemaDecodeException. */
    public static final String CORRUPT_BODY = SchemaDecodeException.Reason.CORRUPT_BODY.code();

    private final Deserializer<ImageEvent> images;
    private final Deserializer<LabelEvent> labels;
    private final ImageLimits limits;

    /**
     * The verdict on one record.
     */
    public sealed interface Verdict permits AcceptedImage, AcceptedLabel, Rejected {}

    /**
     * An accepted image.
     *
     * @param id the image id
     * @param className its class name (see {@link ClassName}), or null when the event carried no label
     * @param image the decoded pixels
     */
    public record AcceptedImage(String id, String className, DecodedImage image) implements Verdict {}

    /**
     * An accepted label.
     *
     * @param id the image id
     * @param className the class name (see {@link ClassName})
     */
    public record AcceptedLabel(String id, String className) implements Verdict {}

    /**
     * A rejected record.
     *
     * @param reason a stable kebab-case code
     * @param detail a human sentence naming the offending value
     */
    public record Rejected(String reason, String detail) implements Verdict {}

    /**
     * Creates a validator.
     *
     * <p>Grey and RGB images are both accepted whatever the model's input channels: the learner converts them.
     *
     * @param limits the size and dimension limits for images
     */
    public InputRecordValidator(final ImageLimits limits) {
        this.images = EventSerde.of(ImageEvent.class).deserializer();
        this.labels = EventSerde.of(LabelEvent.class).deserializer();
        this.limits = limits;
    }

    /**
     * Judges a record of the images topic.
     *
     * @param record the raw record
     * @return {@link AcceptedImage} or {@link Rejected}
     */
    public Verdict image(final ConsumerRecord<byte[], byte[]> record) {
        final Rejected framing = checkFraming(record);
        if (framing != null) {
            return framing;
        }
        final ImageEvent event;
        try {
            event = images.deserialize(record.topic(), record.value());
        } catch (final SchemaDecodeException e) {
            return new Rejected(e.getReason().code(), e.getMessage());
        } catch (final RuntimeException e) {
            return new Rejected(CORRUPT_BODY, "Cannot decode ImageEvent: " + e);
        }
        final Rejected identity = checkIdentity(record, event.getId());
        if (identity != null) {
            return identity;
        }
        final ClassName.Resolution className =
                ClassName.resolve(event.getLabel(), event.getClassName(), "image '" + abbreviate(event.getId()) + "'");
        if (className.rejected()) {
            return new Rejected(className.reason(), className.detail());
        }
        if (event.getImage() == null || event.getImage().getData() == null) {
            return new Rejected(
                    ImageRejectedException.MISSING_FIELDS, "Image '" + event.getId() + "' has no image data");
        }
        final DecodedImage image;
        try {
            image = ImageDecoder.decode(event.getImage(), limits);
        } catch (final ImageRejectedException e) {
            return new Rejected(e.reason(), "Image '" + event.getId() + "': " + e.detail());
        }
        return new AcceptedImage(event.getId(), className.name(), image);
    }

    /**
     * Judges a record of the labels topic.
     *
     * @param record the raw record
     * @return {@link AcceptedLabel} or {@link Rejected}
     */
    public Verdict label(final ConsumerRecord<byte[], byte[]> record) {
        final Rejected framing = checkFraming(record);
        if (framing != null) {
            return framing;
        }
        final LabelEvent event;
        try {
            event = labels.deserialize(record.topic(), record.value());
        } catch (final SchemaDecodeException e) {
            return new Rejected(e.getReason().code(), e.getMessage());
        } catch (final RuntimeException e) {
            return new Rejected(CORRUPT_BODY, "Cannot decode LabelEvent: " + e);
        }
        final Rejected identity = checkIdentity(record, event.getId());
        if (identity != null) {
            return identity;
        }
        final ClassName.Resolution className =
                ClassName.resolve(event.getLabel(), event.getClassName(), "label '" + abbreviate(event.getId()) + "'");
        if (className.rejected()) {
            return new Rejected(className.reason(), className.detail());
        }
        return new AcceptedLabel(event.getId(), className.name());
    }

    private static Rejected checkFraming(final ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return new Rejected(
                    NULL_KEY.code(), "Record at " + where(record) + " has no key; the key must be the image id");
        }
        if (record.value() == null) {
            return new Rejected(
                    TOMBSTONE.code(),
                    "Record at " + where(record) + " has a null value; deleting is not " + "supported");
        }
        return null;
    }

    private static Rejected checkIdentity(final ConsumerRecord<byte[], byte[]> record, final String id) {
        if (id == null || id.isEmpty()) {
            return new Rejected(EMPTY_ID.code(), "Record at " + where(record) + " has an empty id");
        }
        final String key = new String(record.key(), StandardCharsets.UTF_8);
        if (!key.equals(id)) {
            return new Rejected(
                    KEY_MISMATCH.code(),
                    "Record at " + where(record) + " has key '" + abbreviate(key) + "' but id '" + abbreviate(id)
                            + "'");
        }
        return null;
    }

    private static String where(final ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static String abbreviate(final String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
