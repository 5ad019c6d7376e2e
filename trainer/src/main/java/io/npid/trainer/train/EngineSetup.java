package io.npid.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.npid.trainer.model.PtEngine;

/**
 * Chooses the device and sets PyTorch's thread count from the settings.
 */
public final class EngineSetup {

    private EngineSetup() {}

    /**
     * Sets PyTorch's intra-op thread count (process-wide).
     *
     * @param threads threads, 0 for every available core
     */
    public static void configureThreads(final int threads) {
        final int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Engine.getInstance();
        if (PtEngine.numThreads() != n) {
            PtEngine.setNumThreads(n);
        }
    }

    /**
     * Resolves a device setting.
     *
     * @param setting auto, cpu or gpu
     * @return the device
     * @throws IllegalStateException for gpu when none is visible
     */
    public static Device device(final String setting) {
        final int gpus = "cpu".equals(setting) ? 0 : Engine.getInstance().getGpuCount();
        return switch (setting) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalStateException("npid.device=gpu but PyTorch sees no GPU; use auto or cpu");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }
}
