package io.npid.indexer.internals;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/** Reads what {@link CompactWriter} wrote, failing with a SerializationException on truncated or bad input. */
final class CompactReader {

    private final ByteBuffer buffer;
    private final String what;

    CompactReader(final byte[] bytes, final String what) {
        this.buffer = ByteBuffer.wrap(bytes);
        this.what = what;
    }

    /** Checks the leading format version byte. */
    CompactReader expectVersion(final int version) {
        final int actual = readByte();
        if (actual != version) {
            throw new SerializationException("Unknown " + what + " format version " + actual + ", expected " + version);
        }
        return this;
    }

    /**
     * Reads the leading format version byte, which must be one this reader still decodes.
     *
     * @return the version, oldest..newest
     */
    int readVersion(final int oldest, final int newest) {
        final int actual = readByte();
        if (actual < oldest || actual > newest) {
            throw new SerializationException(
                    "Unknown " + what + " format version " + actual + ", expected " + oldest + ".." + newest);
        }
        return actual;
    }

    int readByte() {
        return guard(() -> (int) buffer.get());
    }

    int readInt() {
        return guard(buffer::getInt);
    }

    long readLong() {
        return guard(buffer::getLong);
    }

    float readFloat() {
        return guard(buffer::getFloat);
    }

    /** A count that must fit in the bytes left, each element taking at least {@code minBytes}. */
    int readCount(final int minBytes) {
        final int count = readInt();
        if (count < 0 || (long) count * minBytes > buffer.remaining()) {
            throw new SerializationException(
                    "Corrupt " + what + ": count " + count + " with " + buffer.remaining() + " bytes left");
        }
        return count;
    }

    String readString() {
        final int length = readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > buffer.remaining()) {
            throw new SerializationException(
                    "Corrupt " + what + ": string of " + length + " bytes with " + buffer.remaining() + " left");
        }
        final String value = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return value;
    }

    /** Fails unless every byte was read. */
    void expectEnd() {
        if (buffer.hasRemaining()) {
            throw new SerializationException("Corrupt " + what + ": " + buffer.remaining() + " trailing bytes");
        }
    }

    private interface Read<T> {
        T get();
    }

    private <T> T guard(final Read<T> read) {
        try {
            return read.get();
        } catch (final BufferUnderflowException e) {
            throw new SerializationException("Truncated " + what, e);
        }
    }
}
