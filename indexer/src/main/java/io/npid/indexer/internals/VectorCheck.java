package io.npid.indexer.internals;

import io.npid.schemas.DeadLetterReason;
import io.npid.schemas.serde.VectorCodec;
import java.nio.ByteBuffer;

/**
 * Decodes and checks a vector field (float32 little-endian): the expected dimension, finite values and a
 * non-zero norm; a good vector is returned scaled to unit length, since the vote uses cosine similarity.
 *
 * @param vector the unit vector, or null if rejected
 * @param reason the dead-letter reason code if rejected ({@code wrong-dimension}, {@code nan-vector},
 *     {@code zero-vector}), else null
 * @param detail a sentence saying what was wrong, else null
 */
public record VectorCheck(float[] vector, String reason, String detail) {

    /** Reason: the byte count is not {@code 4 * dimension}. */
    public static final String WRONG_DIMENSION = DeadLetterReason.WRONG_DIMENSION.code();
    /** Reason: a value is NaN or infinite. */
    public static final String NAN_VECTOR = DeadLetterReason.NAN_VECTOR.code();
    /** Reason: every value is zero, so the vector has no direction. */
    public static final String ZERO_VECTOR = DeadLetterReason.ZERO_VECTOR.code();

    /**
     * Checks a vector.
     *
     * @param bytes the field's bytes
     * @param dimension the expected number of values
     * @param what what the vector belongs to, for the detail, e.g. {@code feature img-7}
     * @return the unit vector, or the reason it was rejected
     */
    public static VectorCheck of(final ByteBuffer bytes, final int dimension, final String what) {
        if (bytes.remaining() != dimension * Float.BYTES) {
            return new VectorCheck(
                    null,
                    WRONG_DIMENSION,
                    "The vector of " + what + " has " + bytes.remaining() + " bytes; " + dimension + " float32 values ("
                            + dimension * Float.BYTES + " bytes) expected");
        }
        final float[] vector = VectorCodec.decode(bytes);
        final int bad = VectorCodec.firstNonFinite(vector);
        if (bad >= 0) {
            return new VectorCheck(
                    null, NAN_VECTOR, "The vector of " + what + " has " + vector[bad] + " at index " + bad);
        }
        double norm = 0;
        for (final float v : vector) {
            norm += (double) v * v;
        }
        if (!(norm > 0) || !Double.isFinite(norm)) {
            return new VectorCheck(
                    null,
                    norm > 0 ? NAN_VECTOR : ZERO_VECTOR,
                    "The vector of " + what + " has squared norm " + norm + " and cannot be normalised");
        }
        final float inverse = (float) (1.0 / Math.sqrt(norm));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= inverse;
        }
        return new VectorCheck(vector, null, null);
    }

    /**
     * Whether the vector passed.
     *
     * @return true if {@link #vector()} is set
     */
    public boolean ok() {
        return vector != null;
    }
}
