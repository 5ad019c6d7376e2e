package io.npid.trainer.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/** Writes and reads a list of float arrays of known shapes in a learner's state file. */
final class SavedTensors {
    private SavedTensors() {}

    /** Writes the count, then each array's length and values. */
    static void write(final DataOutputStream out, final List<NDArray> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (final NDArray a : arrays) {
            final float[] values = a.toFloatArray();
            out.writeInt(values.length);
            for (final float f : values) {
                out.writeFloat(f);
            }
        }
    }

    /**
     * Reads what {@link #write} wrote into arrays of the same shapes.
     *
     * @param what names the arrays in an error ("Optimiser", "Weight average")
     * @throws IOException when the count or a length differs from the arrays'
     */
    static void read(final DataInputStream in, final List<NDArray> arrays, final String what) throws IOException {
        final int count = in.readInt();
        if (count != arrays.size()) {
            throw new IOException(what + " state has " + count + " tensors, the model " + arrays.size());
        }
        for (final NDArray a : arrays) {
            final int n = in.readInt();
            if (n != a.size()) {
                throw new IOException(what + " tensor of " + n + " values for a parameter of " + a.size());
            }
            final float[] values = new float[n];
            for (int j = 0; j < n; j++) {
                values[j] = in.readFloat();
            }
            a.set(values);
        }
    }
}
