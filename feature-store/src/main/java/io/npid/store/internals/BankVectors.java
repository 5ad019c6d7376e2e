package io.npid.store.internals;

import io.npid.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks and encodes bank vectors: finite, of the store's dimension, unit L2 norm, stored as float32 little-endian.
 *
 * <p>The little-endian float32 layout is the same as the {@code bytes} vectors of the Avro events.
 */
public final class BankVectors {
    /** Largest accepted difference between a vector's L2 norm and 1. */
    public static final double NORM_TOLERANCE = 1e-3;

    private BankVectors() {
    }

    /**
     * Checks one vector inside a larger array.
     *
     * @param vectors the array holding the vector
     * @param offset index of the vector's first value
     * @param dimension the vector's length
     * @param what names the vector in the message, e.g. "row 17" or "image 'a'"
     * @throws StoreException naming {@code what} if a value is NaN or infinite or the norm is not 1 within tolerance
     */
    public static void checkUnit(final float[] vectors, final int offset, final int dimension, final String what) {
        double sum = 0;
        for (int i = 0; i < dimension; i++) {
            final float v = vectors[offset + i];
            if (!Float.isFinite(v)) {
                throw new StoreException("Bank vector for " + what + " has the non-finite value " + v + " at index "
                        + i + "; bank rows must be finite unit vectors");
            }
            sum += (double) v * v;
        }
        final double norm = Math.sqrt(sum);
        if (Math.abs(norm - 1.0) > NORM_TOLERANCE) {
            throw new StoreException("Bank vector for " + what + " is not unit norm: |v| = " + norm
                    + " (tolerance " + NORM_TOLERANCE + "); normalise rows before writing them");
        }
    }

    /**
     * @param vectors the array holding the vector
     * @param offset index of the vector's first value
     * @param dimension the vector's length
     * @return the vector as float32 little-endian bytes
     */
    public static byte[] encode(final float[] vectors, final int offset, final int dimension) {
        final byte[] out = new byte[dimension * Float.BYTES];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(vectors, offset, dimension);
        return out;
    }

    /**
     * @param value float32 little-endian bytes
     * @param row the row the value belongs to, for the message
     * @param dimension expected length
     * @return the vector
     * @throws StoreException naming the row if the value has the wrong length
     */
    public static float[] decode(final byte[] value, final int row, final int dimension) {
        if (value.length != dimension * Float.BYTES) {
            throw new StoreException("Bank vector of row " + row + " is corrupt: " + value.length + " bytes, expected "
                    + dimension * Float.BYTES);
        }
        final float[] out = new float[dimension];
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
