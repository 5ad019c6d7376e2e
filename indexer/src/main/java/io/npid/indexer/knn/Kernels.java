package io.npid.indexer.knn;

import java.lang.reflect.InvocationTargetException;

/** Creates kernels, loading the Vector API one reflectively so that this package runs without the module. */
final class Kernels {

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_KERNEL = "io.npid.indexer.knn.VectorKernel";

    private Kernels() {}

    static InnerProductKernel create(final KernelType type) {
        return switch (type) {
            case SCALAR -> new ScalarKernel();
            case VECTOR -> {
                if (!vectorKernelSupported()) {
                    throw new IllegalStateException("The vector kernel needs the JVM option --add-modules "
                            + VECTOR_MODULE + " and a CPU with 512-bit vectors (AVX-512); use KernelType.AUTO or "
                            + "SCALAR otherwise");
                }
                yield newVectorKernel();
            }
            case AUTO -> vectorKernelSupported() ? newVectorKernel() : new ScalarKernel();
        };
    }

    static boolean vectorKernelSupported() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return false;
        }
        try {
            return (Boolean)
                    Class.forName(VECTOR_KERNEL).getDeclaredMethod("supported").invoke(null);
        } catch (final ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    private static InnerProductKernel newVectorKernel() {
        try {
            return (InnerProductKernel)
                    Class.forName(VECTOR_KERNEL).getDeclaredConstructor().newInstance();
        } catch (final InvocationTargetException e) {
            throw new IllegalStateException("Could not create the vector kernel", e.getCause());
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("Could not create the vector kernel", e);
        }
    }
}
