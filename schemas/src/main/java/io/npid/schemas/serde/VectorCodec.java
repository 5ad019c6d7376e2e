package io.npid.schemas.serde;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts embedding vectors between {@code float[]} and the float32 little-endian bytes of the Avro
 * {@code vector} fields (FeatureEvent, QueryVector).
 *
 * <p>Why {@code bytes} and not {@code array<float>}: both encode to 4 bytes per value plus a few length bytes,
 * but {@code bytes} decodes with one bulk copy into a {@code float[]} while {@code array<float>} decodes into a
 * list of boxed Floats (see the README's measured figures and {@code SerdeBenchmark}).
 */
public final class VectorCodec {

    private static final int FLOAT_BYTES = Float.BYTES;

    private VectorCodec() {}

    /**
     * Encodes a vector as float32 little-endian.
     *
     * @param vector the values
     * @return a new heap buffer at position 0 holding {@code vector.length * 4} bytes
     */
    public static ByteBuffer encode(final float[] vector) {
        return encode(vector, 0, vector.length);
    }

    /**
     * Encodes a slice of a row-major matrix, e.g. one memory-bank row, as float32 little-endian.
     *
     * @param values the matrix
     * @param offset index of the first value
     * @param length number of values
     * @return a new heap buffer at position 0 holding {@code length * 4} bytes
     * @throws IndexOutOfBoundsException if the slice is outside the array
     */
    public static ByteBuffer encode(final float[] values, final int offset, final int length) {
        final ByteBuffer buffer = ByteBuffer.allocate(length * FLOAT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values, offset, length);
        return buffer;
    }

    /**
     * Decodes the bytes between the buffer's position and limit, leaving the buffer's position unchanged.
     *
     * @param bytes float32 little-endian values
     * @return the values
     * @throws IllegalArgumentException if the byte count is not a multiple of 4
     */
    public static float[] decode(final ByteBuffer bytes) {
        final float[] vector = new float[dimension(bytes)];
        decodeInto(bytes, vector, 0);
        return vector;
    }

    /**
     * Decodes into an existing array, e.g. a row of a dense matrix, without allocating.
     *
     * @param bytes float32 little-endian values; position unchanged
     * @param target destination array
     * @param offset index in {@code target} of the first value
     * @throws IllegalArgumentException if the byte count is not a multiple of 4
     * @throws IndexOutOfBoundsException if the values do not fit at {@code offset}
     */
    public static void decodeInto(final ByteBuffer bytes, final float[] target, final int offset) {
        final int dimension = dimension(bytes);
        bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(target, offset, dimension);
    }

    /**
     * The number of float32 values in the buffer's remaining bytes.
     *
     * @param bytes float32 little-endian values
     * @return the dimension
     * @throws IllegalArgumentException if the byte count is not a multiple of 4
     */
    public static int dimension(final ByteBuffer bytes) {
        final int remaining = bytes.remaining();
        if (remaining % FLOAT_BYTES != 0) {
            throw new IllegalArgumentException(
                    "A vector of " + remaining + " bytes is not a whole number of float32 values");
        }
        return remaining / FLOAT_BYTES;
    }

    /**
     * The index of the first NaN or infinite value, so that callers can reject such vectors with a reason.
     *
     * @param vector the values
     * @return the index, or -1 if every value is finite
     */
    public static int firstNonFinite(final float[] vector) {
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                return i;
            }
        }
        return -1;
    }
}
