package io.npid.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The PyTorch-specific calls the trainer needs that DJL's engine-neutral API does not offer: grad mode, a backward
 * pass from a given gradient, zeroing gradients and the intra-op thread count.
 *
 * <p>The only class of the trainer that imports {@code ai.djl.pytorch}, so that the rest stays engine-neutral and a
 * change of engine touches one file. The arrays passed in must be PyTorch arrays (the trainer runs on PyTorch only).
 */
public final class PtEngine {

    private PtEngine() {}

    /**
     * Whether autograd records on the current thread.
     *
     * @return true if grad mode is on
     */
    public static boolean isGradMode() {
        return JniUtils.isGradMode();
    }

    /**
     * Switches autograd recording on or off for the current thread.
     *
     * @param on the new mode
     */
    public static void setGradMode(final boolean on) {
        JniUtils.setGradMode(on);
    }

    /**
     * Back-propagates a known gradient of {@code output} into every array it was computed from.
     *
     * @param output an array computed with grad mode on
     * @param gradient dL/d(output), the same shape
     */
    public static void backward(final NDArray output, final NDArray gradient) {
        JniUtils.backward((PtNDArray) output, (PtNDArray) gradient, false, false);
    }

    /**
     * Zeroes the accumulated gradient of a parameter array.
     *
     * @param parameter the parameter's array
     */
    public static void zeroGrad(final NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }

    /**
     * PyTorch's intra-op thread count (process-wide).
     *
     * @return the thread count
     */
    public static int numThreads() {
        return JniUtils.getNumThreads();
    }

    /**
     * Sets PyTorch's intra-op thread count (process-wide).
     *
     * @param threads the thread count, at least 1
     */
    public static void setNumThreads(final int threads) {
        JniUtils.setNumThreads(threads);
    }
}
