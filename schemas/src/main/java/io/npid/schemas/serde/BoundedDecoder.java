package io.npid.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over one payload that refuses any length or item count larger than the bytes left.
 *
 * <p>Why: Avro's own decoders allocate whatever a length prefix claims before reading, so a corrupt 30-byte
 * payload claiming a 1 GB string throws OutOfMemoryError, and one claiming 100 MB costs a 100 MB allocation.
 * Here such a prefix fails at once with an {@link EOFException}, as a truncated body. Item counts are bounded
 * the same way, which is exact for npid's schemas because each of their array and map items takes at least one
 * byte. Not thread-safe: one instance per decode.
 */
final class BoundedDecoder extends Decoder {

    private final ArrayInput input;
    private final BinaryDecoder binary;

    /**
     * Decodes {@code payload[offset..payload.length)}.
     *
     * @param payload the payload
     * @param offset where the Avro body starts
     */
    BoundedDecoder(final byte[] payload, final int offset) {
        this.input = new ArrayInput(payload, offset);
        // A direct (unbuffered) decoder reads no further than it needs, so input.available() stays exact.
        this.binary = DecoderFactory.get().directBinaryDecoder(input, null);
    }

    /**
     * Bytes not consumed yet.
     *
     * @return the count
     */
    int remaining() {
        return input.available();
    }

    @Override
    public void readNull() throws IOException {
        binary.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return binary.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return binary.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return binary.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return binary.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return binary.readDouble();
    }

    @Override
    public Utf8 readString(final Utf8 old) throws IOException {
        final int length = readLength();
        final Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        binary.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        final int length = readLength();
        final byte[] bytes = new byte[length];
        binary.readFixed(bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        binary.skipFixed(readLength());
    }

    @Override
    public ByteBuffer readBytes(final ByteBuffer old) throws IOException {
        final int length = readLength();
        final ByteBuffer result = old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
        binary.readFixed(result.array(), result.arrayOffset(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        binary.skipFixed(readLength());
    }

    @Override
    public void readFixed(final byte[] bytes, final int start, final int length) throws IOException {
        binary.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(final int length) throws IOException {
        binary.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return binary.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return checkCount(binary.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return checkCount(binary.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return checkCount(binary.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return checkCount(binary.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return checkCount(binary.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return checkCount(binary.skipMap());
    }

    @Override
    public int readIndex() throws IOException {
        return binary.readIndex();
    }

    private int readLength() throws IOException {
        final long length = binary.readLong();
        if (length < 0) {
            throw new IOException("Malformed data: negative length " + length);
        }
        if (length > input.available()) {
            throw new EOFException("Length " + length + " exceeds the " + input.available() + " bytes left");
        }
        return (int) length;
    }

    private long checkCount(final long count) throws EOFException {
        if (count > input.available()) {
            throw new EOFException("Item count " + count + " exceeds the " + input.available() + " bytes left");
        }
        return count;
    }

    /** An unsynchronized input stream over a byte array whose {@code available()} is exact. */
    private static final class ArrayInput extends InputStream {
        private final byte[] bytes;
        private int position;

        ArrayInput(final byte[] bytes, final int offset) {
            this.bytes = bytes;
            this.position = offset;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(final byte[] target, final int offset, final int length) {
            if (length == 0) {
                return 0;
            }
            if (position >= bytes.length) {
                return -1;
            }
            final int count = Math.min(length, bytes.length - position);
            System.arraycopy(bytes, position, target, offset, count);
            position += count;
            return count;
        }

        @Override
        public long skip(final long count) {
            final int skipped = (int) Math.max(0, Math.min(count, bytes.length - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return bytes.length - position;
        }
    }
}
