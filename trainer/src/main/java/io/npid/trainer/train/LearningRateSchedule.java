package io.npid.trainer.train;

/**
 * The learning rate as a function of progress: constant, step decay at given epochs, or cosine to zero, each with an
 * optional linear warm-up.
 */
public final class LearningRateSchedule {
    private final String kind;
    private final double base;
    private final int[] decayEpochs;
    private final double decayFactor;
    private final int warmupSteps;
    private final int epochs;

    /**
     * Builds the schedule from the config.
     *
     * @param config the learner settings
     * @param inputChannels the model's input channels (the default rate depends on them)
     */
    public LearningRateSchedule(final TrainerConfig config, final int inputChannels) {
        this.kind = config.lrSchedule();
        this.base = config.learningRate(inputChannels);
        this.decayEpochs = config.lrDecayEpochs();
        this.decayFactor = config.lrDecayFactor();
        this.warmupSteps = config.lrWarmupSteps();
        this.epochs = config.epochs();
    }

    /**
     * Returns the rate for a step.
     *
     * @param step steps done so far
     * @param epochProgress epochs done so far, with the fraction of the current one
     * @return the learning rate
     */
    public double rate(final long step, final double epochProgress) {
        double lr = switch (kind) {
            case "step" -> {
                double r = base;
                for (final int e : decayEpochs) {
                    if (epochProgress >= e) {
                        r *= decayFactor;
                    }
                }
                yield r;
            }
            case "cosine" -> base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, epochProgress / epochs)));
            default -> base;
        };
        if (step < warmupSteps) {
            lr *= (step + 1.0) / warmupSteps;
        }
        return lr;
    }
}
