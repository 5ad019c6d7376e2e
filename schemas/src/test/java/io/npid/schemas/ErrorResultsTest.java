package io.npid.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.event.ResultStatus;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** ERROR results are built in one place, with a registered reason, and carry what the query carried. */
class ErrorResultsTest {

    @Test
    void shouldCopyTheQueryAndSpellTheErrorAsReasonColonDetail() {
        final QueryVector query = QueryVector.newBuilder()
                .setQueryId("q1")
                .setRequestId("r1")
                .setReplyKey("client-7")
                .setModelVersion(42L)
                .setK(5)
                .setVector(ByteBuffer.allocate(8))
                .setQueryTimestampMs(100L)
                .setEmbeddedTimestampMs(150L)
                .build();
        final ClassificationResult result = ErrorResults.of(query, "invalid-k", "k=9 above 5", 200L);
        assertEquals(ResultStatus.ERROR, result.getStatus());
        assertEquals("invalid-k: k=9 above 5", result.getError());
        assertEquals("q1", result.getQueryId());
        assertEquals("r1", result.getRequestId());
        assertEquals("client-7", result.getReplyKey());
        assertEquals(42L, result.getModelVersion());
        assertEquals(100L, result.getQueryTimestampMs());
        assertEquals(150L, result.getEmbeddedTimestampMs());
        assertEquals(200L, result.getAnsweredTimestampMs());
    }

    @Test
    void shouldTakeResultReasonsAndRefuseUnregisteredOnes() {
        assertEquals("no-labelled-rows", ResultReason.NO_LABELLED_ROWS.code());
        assertEquals(
                "no-model: none yet",
                ErrorResults.of("q", ResultReason.NO_MODEL.code(), "none yet")
                        .build()
                        .getError());
        final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ErrorResults.of("q", "made-up", "detail"));
        assertTrue(e.getMessage().contains("made-up"), e.getMessage());
    }

    @Test
    void shouldKeepResultReasonsApartFromDeadLetterReasons() {
        for (final ResultReason reason : ResultReason.values()) {
            assertTrue(reason.code().matches("[a-z]+(-[a-z]+)*"), reason.code());
            assertFalse(reason.meaning().isBlank(), reason.code());
            assertTrue(DeadLetterReason.ofCode(reason.code()).isEmpty(), reason.code() + " is in both registries");
            assertTrue(ResultReason.isKnown(reason.code()), reason.code());
        }
        assertTrue(Arrays.stream(DeadLetterReason.values()).allMatch(r -> ResultReason.isKnown(r.code())));
        assertFalse(ResultReason.isKnown(null));
    }
}
