package io.npid.trainer.embed;

import static io.npid.trainer.stream.StreamFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageLimits;
import io.npid.trainer.stream.StreamFixtures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class QueryValidatorTest {
    private static final DecodedImage GREY = new DecodedImage(2, 2, 1, new byte[4]);
    private final QueryValidator validator = new QueryValidator(new ImageLimits(64, 8, 8), 200);

    private static byte[] query(final String id, final Integer k, final String replyKey, final DecodedImage image) {
        return EventSerde.of(QueryEvent.class)
                .encode(QueryEvent.newBuilder()
                        .setQueryId(id)
                        .setK(k)
                        .setReplyKey(replyKey)
                        .setImage(StreamFixtures.raw(image))
                        .setTimestampMs(5)
                        .build());
    }

    private static ConsumerRecord<byte[], byte[]> record(final String key, final byte[] value) {
        return new ConsumerRecord<>("queries", 1, 9, key == null ? null : key(key), value);
    }

    @Test
    void shouldTakeTheDefaultKWhenTheQueryNamesNone() {
        final QueryValidator.Valid valid = assertInstanceOf(
                QueryValidator.Valid.class, validator.check(record("q", query("q", null, null, GREY))));
        assertEquals(200, valid.k());
        assertEquals(5, valid.queryTimestampMs());
        assertEquals(
                7,
                assertInstanceOf(QueryValidator.Valid.class, validator.check(record("q", query("q", 7, "r", GREY))))
                        .k());
    }

    @Test
    void shouldKeepWhatIsNeededToAnswerABadQuery() {
        final QueryValidator.Invalid k = assertInstanceOf(
                QueryValidator.Invalid.class, validator.check(record("q", query("q", 0, "reply", GREY))));
        assertEquals("invalid-k", k.reason());
        assertEquals("q", k.queryId());
        assertEquals("reply", k.replyKey());
        final QueryValidator.Invalid undecodable =
                assertInstanceOf(QueryValidator.Invalid.class, validator.check(record("q2", new byte[] {0, 1, 2})));
        assertEquals("corrupt-header", undecodable.reason());
        assertEquals("q2", undecodable.queryId(), "the key answers for an undecodable query");
        final QueryValidator.Invalid anonymous =
                assertInstanceOf(QueryValidator.Invalid.class, validator.check(record(null, new byte[0])));
        assertNull(anonymous.queryId(), "nothing to answer: dead letter only");
        assertEquals(
                "null-key",
                assertInstanceOf(
                                QueryValidator.Invalid.class,
                                validator.check(record(null, query("q", null, null, GREY))))
                        .reason());
        final DecodedImage big = new DecodedImage(9, 1, 1, new byte[9]);
        assertEquals(
                "bad-dimensions",
                assertInstanceOf(
                                QueryValidator.Invalid.class, validator.check(record("q", query("q", null, null, big))))
                        .reason());
    }

    @Test
    void shouldCarryTheRequestIdOrDeriveOneFromTheRecord() {
        final byte[] withId = EventSerde.of(QueryEvent.class)
                .encode(QueryEvent.newBuilder()
                        .setQueryId("q")
                        .setRequestId("uuid-1")
                        .setImage(StreamFixtures.raw(GREY))
                        .setTimestampMs(5)
                        .build());
        assertEquals(
                "uuid-1",
                assertInstanceOf(QueryValidator.Valid.class, validator.check(record("q", withId)))
                        .requestId());
        assertEquals(
                "queries-1-9",
                assertInstanceOf(QueryValidator.Valid.class, validator.check(record("q", query("q", null, null, GREY))))
                        .requestId(),
                "a query without one is named by its topic, partition and offset");
    }
}
