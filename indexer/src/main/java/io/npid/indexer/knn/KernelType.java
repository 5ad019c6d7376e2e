package io.npid.indexer.knn;

/** Which inner-product kernel an {@link ExactSearcher} runs. */
public enum KernelType {
    /** The Vector API kernel where it is available and the CPU has 512-bit vectors, else the scalar one. */
    AUTO,
    /** The incubating Vector API kernel; needs {@code --add-modules jdk.incubator.vector}. */
    VECTOR,
    /** Plain Java loops that the JIT vectorises. */
    SCALAR;

    /**
     * Whether the Vector API kernel can run in this JVM on this CPU.
     *
     * @return true if {@code jdk.incubator.vector} is resolved and 512-bit vectors are native
     */
    public static boolean vectorAvailable() {
        return Kernels.vectorKernelSupported();
    }
}
