package io.npid.trainer.stream;

import io.npid.trainer.train.TrainerConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The learner's share of a trainer configuration: the core's {@link TrainerConfig} plus the input shape the
 * model is built for.
 *
 * @param trainer the learner's hyper-parameters (npid.backbone, npid.objective, npid.lr ...)
 * @param channels input channels of the model, 1 or 3
 * @param imageSize input side of the model in pixels
 */
public record LearnerSettings(TrainerConfig trainer, int channels, int imageSize) {

    /**
     * Builds the learner's settings from a process configuration.
     *
     * <p>When {@code npid.trainer.epochs} is positive and {@code npid.epochs} is not given, {@code npid.epochs}
     * follows it, so that a cosine schedule ends when training stops.
     *
     * @param originals the whole configuration map (the TrainerConfig ignores keys it does not declare)
     * @param stopAfterEpochs the trainer's {@code npid.trainer.epochs}, 0 for endless
     * @param channels input channels
     * @param imageSize input side
     * @return the settings
     * @throws ConfigException naming the key when a learner setting is invalid
     */
    static LearnerSettings from(
            final Map<String, ?> originals, final int stopAfterEpochs, final int channels, final int imageSize) {
        final Map<String, Object> learner = new HashMap<>(originals);
        if (stopAfterEpochs > 0 && !originals.containsKey(TrainerConfig.EPOCHS_CONFIG)) {
            learner.put(TrainerConfig.EPOCHS_CONFIG, stopAfterEpochs);
        }
        return new LearnerSettings(new TrainerConfig(learner), channels, imageSize);
    }
}
