package io.npid.trainer.stream;

import static io.npid.trainer.stream.StreamFixtures.imageEvent;
import static io.npid.trainer.stream.StreamFixtures.key;
import static io.npid.trainer.stream.StreamFixtures.labelEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageLimits;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class InputRecordValidatorTest {
    private static final DecodedImage GREY = new DecodedImage(4, 3, 1, new byte[12]);
    private final InputRecordValidator validator = new InputRecordValidator(new ImageLimits(64, 8, 8));

    private static ConsumerRecord<byte[], byte[]> record(final String key, final byte[] value) {
        return new ConsumerRecord<>("images", 0, 42, key == null ? null : key(key), value);
    }

    private String reasonOf(final InputRecordValidator.Verdict verdict) {
        return assertInstanceOf(InputRecordValidator.Rejected.class, verdict).reason();
    }

    @Test
    void shouldAcceptAGoodImageWithItsLabel() {
        final InputRecordValidator.AcceptedImage image = assertInstanceOf(
                InputRecordValidator.AcceptedImage.class, validator.image(record("a", imageEvent("a", GREY, 3))));
        assertEquals("a", image.id());
        assertEquals("3", image.className(), "a legacy int label is the class named by its number");
        assertEquals(4, image.image().width());
    }

    @Test
    void shouldRejectFramingErrorsWithSpecificReasons() {
        assertEquals("null-key", reasonOf(validator.image(record(null, imageEvent("a", GREY, null)))));
        assertEquals("tombstone", reasonOf(validator.image(record("a", null))));
        assertEquals("empty-payload", reasonOf(validator.image(record("a", new byte[0]))));
        assertEquals("corrupt-header", reasonOf(validator.image(record("a", new byte[] {1, 2, 3}))));
        final byte[] whole = imageEvent("a", GREY, null);
        assertEquals("truncated-body", reasonOf(validator.image(record("a", Arrays.copyOf(whole, whole.length - 3)))));
        assertEquals("key-mismatch", reasonOf(validator.image(record("b", imageEvent("a", GREY, null)))));
        assertEquals("empty-id", reasonOf(validator.image(record("", imageEvent("", GREY, null)))));
    }

    @Test
    void shouldRejectBadContentWithTheDecodersReasons() {
        assertEquals("negative-label", reasonOf(validator.image(record("a", imageEvent("a", GREY, -1)))));
        final DecodedImage big = new DecodedImage(9, 8, 1, new byte[72]);
        assertEquals("too-large", reasonOf(validator.image(record("a", imageEvent("a", big, null)))));
        final ImageEvent mismatch = ImageEvent.newBuilder()
                .setId("a")
                .setTimestampMs(0)
                .setImage(StreamFixtures.raw(GREY))
                .build();
        mismatch.getImage().setChannels(3);
        assertEquals(
                "raw-size-mismatch",
                reasonOf(validator.image(
                        record("a", EventSerde.of(ImageEvent.class).encode(mismatch)))));
        mismatch.getImage().setChannels(2);
        assertEquals(
                "bad-channels",
                reasonOf(validator.image(
                        record("a", EventSerde.of(ImageEvent.class).encode(mismatch)))));
        final InputRecordValidator.Rejected rejected = assertInstanceOf(
                InputRecordValidator.Rejected.class, validator.image(record("a", imageEvent("a", GREY, -1))));
        assertTrue(rejected.detail().contains("'a'") && rejected.detail().contains("-1"), rejected.detail());
    }

    @Test
    void shouldJudgeLabels() {
        final InputRecordValidator.AcceptedLabel label = assertInstanceOf(
                InputRecordValidator.AcceptedLabel.class, validator.label(record("a", labelEvent("a", 7))));
        assertEquals("7", label.className());
        assertEquals("negative-label", reasonOf(validator.label(record("a", labelEvent("a", -2)))));
        assertEquals("key-mismatch", reasonOf(validator.label(record("b", labelEvent("a", 2)))));
        assertEquals("unknown-schema", reasonOf(validator.label(record("a", imageEvent("a", GREY, null)))));
    }

    @Test
    void shouldNameTheClassByItsNameWhenGivenAndRejectBadNames() {
        final InputRecordValidator.AcceptedLabel named = assertInstanceOf(
                InputRecordValidator.AcceptedLabel.class, validator.label(record("a", labelEvent("a", 0, " bag "))));
        assertEquals("bag", named.className(), "the name wins over the int label and is stripped");
        assertEquals(
                "negative-label",
                reasonOf(validator.label(record("a", labelEvent("a", -5, "bag")))),
                "an int label below 0 is refused as before, name or not");
        final InputRecordValidator.Rejected blank = assertInstanceOf(
                InputRecordValidator.Rejected.class, validator.label(record("a", labelEvent("a", 0, "   "))));
        assertEquals("bad-class-name", blank.reason());
        assertTrue(blank.detail().contains("'a'") && blank.detail().contains("blank"), blank.detail());
        assertEquals("bad-class-name", reasonOf(validator.label(record("a", labelEvent("a", 0, "bag\u0007")))));
        assertEquals("bad-class-name", reasonOf(validator.label(record("a", labelEvent("a", 0, "x".repeat(257))))));

        final ImageEvent namedImage = ImageEvent.newBuilder()
                .setId("a")
                .setTimestampMs(0)
                .setImage(StreamFixtures.raw(GREY))
                .setLabel(8)
                .setClassName("bag")
                .build();
        assertEquals(
                "bag",
                assertInstanceOf(
                                InputRecordValidator.AcceptedImage.class,
                                validator.image(record(
                                        "a", EventSerde.of(ImageEvent.class).encode(namedImage))))
                        .className());
        namedImage.setClassName("");
        assertEquals(
                "bad-class-name",
                reasonOf(validator.image(
                        record("a", EventSerde.of(ImageEvent.class).encode(namedImage)))));
        assertEquals(
                null,
                assertInstanceOf(
                                InputRecordValidator.AcceptedImage.class,
                                validator.image(record("a", imageEvent("a", GREY, null))))
                        .className());
    }
}
