package io.npid.deploy.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.reliability.BadInputCorpus.BadRecord;
import io.npid.deploy.reliability.BadInputCorpus.Target;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.trainer.data.ImageLimits;
import io.npid.trainer.stream.InputRecordValidator;
import io.npid.trainer.stream.InputRecordValidator.Rejected;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The committed bad-input corpus is what the generator says, and each file is bad in the way it claims. */
class BadInputCorpusTest {

    @Test
    void shouldMatchTheGeneratorRecordForRecord() {
        final Map<String, BadRecord> generated =
                BadInputCorpus.generate().stream().collect(Collectors.toMap(BadRecord::name, Function.identity()));
        final List<BadRecord> committed = BadInputCorpus.load();

        assertEquals(
                generated.keySet(),
                committed.stream().map(BadRecord::name).collect(Collectors.toSet()),
                "run BadInputCorpus.main after changing the generator");
        for (final BadRecord c : committed) {
            final BadRecord g = generated.get(c.name());
            assertEquals(g.target(), c.target(), c.name());
            assertEquals(g.key(), c.key(), c.name());
            assertEquals(g.expected(), c.expected(), c.name());
            if (g.value() == null || c.value() == null) {
                assertEquals(g.value(), c.value(), c.name());
            } else if (!java.util.Arrays.equals(g.value(), c.value())) {
                // only ImageIO's PNG/JPEG bytes may differ between JDKs: the event around them must not
                final ImageEvent gi = decodeImage(g);
                final ImageEvent ci = decodeImage(c);
                assertEquals(gi.getId(), ci.getId(), c.name());
                assertEquals(gi.getImage().getEncoding(), ci.getImage().getEncoding(), c.name());
            }
        }
    }

    @Test
    void shouldDeclareAHundredThousandSquarePixelsInASmallPngWithAValidHeaderCrc() {
        final byte[] bomb = BadInputCorpus.pngBomb();
        final ByteBuffer in = ByteBuffer.wrap(bomb);

        assertTrue(bomb.length < 100, bomb.length + " bytes");
        assertEquals(13, in.getInt(8));
        assertEquals("IHDR", new String(bomb, 12, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(100_000, in.getInt(16));
        assertEquals(100_000, in.getInt(20));
        final CRC32 crc = new CRC32();
        crc.update(bomb, 12, 17);
        assertEquals((int) crc.getValue(), in.getInt(29));
    }

    @Test
    void shouldGiveEveryImageAndLabelRecordTheTrainerReasonItExpects() {
        final InputRecordValidator validator = new InputRecordValidator(ImageLimits.DEFAULTS);
        for (final BadRecord r : BadInputCorpus.load()) {
            if (r.target() != Target.IMAGES && r.target() != Target.LABELS) {
                continue;
            }
            final ConsumerRecord<byte[], byte[]> record =
                    new ConsumerRecord<>(r.target().name(), 0, 0, r.keyBytes(), r.value());
            final InputRecordValidator.Verdict verdict =
                    r.target() == Target.IMAGES ? validator.image(record) : validator.label(record);
            final String trainer = r.expected().stream()
                    .filter(e -> e.startsWith("trainer:"))
                    .findFirst()
                    .orElse(null);
            if (trainer == null) {
                assertTrue(!(verdict instanceof Rejected), r.name() + " accepted: " + verdict);
            } else {
                final Rejected rejected = assertInstanceOf(Rejected.class, verdict, r.name());
                assertEquals(
                        trainer.substring("trainer:".length()), rejected.reason(), r.name() + ": " + rejected.detail());
            }
        }
    }

    @Test
    void shouldKeepTheOversizeRecordOutOfTheRepositoryButOverTheLimit() {
        final BadRecord image = BadInputCorpus.oversize(Target.IMAGES);
        final ImageEvent event = EventSerde.of(ImageEvent.class).decode(image.value());

        assertTrue(event.getImage().getData().remaining() > ImageLimits.DEFAULTS.maxImageBytes());
        assertArrayEquals(image.value(), BadInputCorpus.oversize(Target.IMAGES).value(), "deterministic");
    }

    private static ImageEvent decodeImage(final BadRecord record) {
        if (record.target() == Target.LABELS) {
            EventSerde.of(LabelEvent.class).decode(record.value());
            throw new AssertionError(record.name() + ": label bytes differ from the generator's");
        }
        if (record.target() == Target.QUERIES) {
            final var q = EventSerde.of(io.npid.schemas.event.QueryEvent.class).decode(record.value());
            return ImageEvent.newBuilder()
                    .setId(q.getQueryId())
                    .setImage(q.getImage())
                    .setTimestampMs(0)
                    .build();
        }
        if (record.target() == Target.FEATURES) {
            throw new AssertionError(record.name() + ": feature bytes differ from the generator's");
        }
        return EventSerde.of(ImageEvent.class).decode(record.value());
    }
}
