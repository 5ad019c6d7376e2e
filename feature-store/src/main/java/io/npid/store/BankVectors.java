package io.npid.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks and encodes bank vectors: finite, of the store's dimension, unit L2 norm, stored as float32 little-endian
 * or, with {@code store.bank.dtype=float16}, as IEEE float16 little-endian (half the bytes per row).
 *
 * <p>The little-endian float32 layout is the same as the {@code bytes} vectors of the Avro events. A value's length
 * says its type (4 or 2 bytes per element), so a store can hold rows of both and the setting can change.
 */
final class BankVectors {
    /** Largest accepted difference between a vector's L2 norm and 1. */
    public static final double NORM_TOLERANCE = 1e-3;

    private BankVectors() {}

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
                throw new StoreException("Bank vector for " + what + " has the non-finite value " + v + " at index " + i
                        + "; bank rows must be finite unit vectors");
            }
            sum += (double) v * v;
        }
        final double norm = Math.sqrt(sum);
        if (Math.abs(norm - 1.0) > NORM_TOLERANCE) {
            throw new StoreException("Bank vector for " + what + " is not unit norm: |v| = " + norm + " (tolerance "
                    + NORM_TOLERANCE + "); normalise rows before writing them");
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
     * @param vectors the array holding the vector
     * @param offset index of the vector's first value
     * @param dimension the vector's length
     * @param half float16 (rounded to nearest even) instead of float32
     * @return the vector as little-endian bytes
     */
    public static byte[] encode(final float[] vectors, final int offset, final int dimension, final boolean half) {
        if (!half) {
            return encode(vectors, offset, dimension);
        }
        final byte[] out = new byte[dimension * 2];
        for (int i = 0; i < dimension; i++) {
            final int h = toHalf(vectors[offset + i]);
            out[2 * i] = (byte) h;
            out[2 * i + 1] = (byte) (h >>> 8);
        }
        return out;
    }

    /**
     * @param value float32 or float16 little-endian bytes
     * @param row the row the value belongs to, for the message
     * @param dimension expected length
     * @return the vector
     * @throws StoreException naming the row if the value has the wrong length
     */
    public static float[] decode(final byte[] value, final int row, final int dimension) {
        final float[] out = new float[dimension];
        if (value.length == dimension * 2) {
            for (int i = 0; i < dimension; i++) {
                out[i] = fromHalf((value[2 * i] & 0xFF) | (value[2 * i + 1] & 0xFF) << 8);
            }
            return out;
        }
        if (value.length != dimension * Float.BYTES) {
            throw new StoreException("Bank vector of row " + row + " is corrupt: " + value.length + " bytes, expected "
                    + dimension * Float.BYTES + " (float32) or " + dimension * 2 + " (float16)");
        }
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** IEEE 754 binary16 bits of a finite float, rounded to nearest even (Java 17 has no Float.floatToFloat16). */
    static int toHalf(final float value) {
        final int bits = Float.floatToRawIntBits(value);
        final int sign = bits >>> 16 & 0x8000;
        final int exponent = (bits >>> 23 & 0xFF) - 127 + 15;
        int mantissa = bits & 0x7FFFFF;
        if (exponent >= 31) {
            return sign | 0x7C00; // too large: infinity (bank values are within [-1, 1])
        }
        if (exponent <= 0) {
            if (exponent < -10) {
                return sign; // below half the smallest subnormal
            }
            mantissa |= 0x800000;
            final int shift = 14 - exponent;
            int half = mantissa >> shift;
            final int rest = mantissa & ((1 << shift) - 1);
            final int halfway = 1 << (shift - 1);
            if (rest > halfway || rest == halfway && (half & 1) != 0) {
                half++;
            }
            return sign | half;
        }
        int half = exponent << 10 | mantissa >> 13;
        final int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || rest == 0x1000 && (half & 1) != 0) {
            half++; // may carry into the exponent, which is the correct rounding
        }
        return sign | half;
    }

    /** The float of IEEE 754 binary16 bits. */
    static float fromHalf(final int half) {
        final int sign = (half & 0x8000) << 16;
        final int exponent = half >>> 10 & 0x1F;
        final int mantissa = half & 0x3FF;
        if (exponent == 0) {
            final float magnitude = mantissa * 0x1p-24f; // zero or subnormal
            return sign != 0 ? -magnitude : magnitude;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | mantissa << 13);
        }
        return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | mantissa << 13);
    }
}
