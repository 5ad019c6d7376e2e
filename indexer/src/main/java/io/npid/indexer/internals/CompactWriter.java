package io.npid.indexer.internals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the indexer's internal records (shard rows, partial top-k lists, merge state) in a compact binary form:
 * big-endian numbers, strings as a length and UTF-8 bytes, null strings as length -1.
 */
final class CompactWriter {

    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;

    CompactWriter(final int sizeHint) {
        bytes = new ByteArrayOutputStream(sizeHint);
        out = new DataOutputStream(bytes);
    }

    CompactWriter writeByte(final int value) {
        return run(() -> out.writeByte(value));
    }

    CompactWriter writeInt(final int value) {
        return run(() -> out.writeInt(value));
    }

    CompactWriter writeLong(final long value) {
        return run(() -> out.writeLong(value));
    }

    CompactWriter writeFloat(final float value) {
        return run(() -> out.writeFloat(value));
    }

    CompactWriter writeString(final String value) {
        if (value == null) {
            return writeInt(-1);
        }
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeInt(utf8.length);
        return run(() -> out.write(utf8));
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    private CompactWriter run(final Write write) {
        try {
            write.run();
        } catch (final IOException e) {
            // A ByteArrayOutputStream does not throw; this is only the checked signature of DataOutputStream.
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
