package io.npid.indexer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DimensionNoticeTest {

    @Test
    void shouldWarnOncePerKindAndWrongSize() {
        assertFalse(DimensionNotice.observe("Feature", ByteBuffer.allocate(128 * 4), 128), "the right size");
        assertTrue(DimensionNotice.observe("Feature", ByteBuffer.allocate(64 * 4), 128));
        assertFalse(DimensionNotice.observe("Feature", ByteBuffer.allocate(64 * 4), 128), "said already");
        assertTrue(DimensionNotice.observe("Query", ByteBuffer.allocate(64 * 4), 128), "another kind");
        assertTrue(DimensionNotice.observe("Feature", ByteBuffer.allocate(7), 128), "another size");
    }
}
