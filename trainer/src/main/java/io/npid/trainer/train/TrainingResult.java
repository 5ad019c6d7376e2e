package io.npid.trainer.train;

/**
 * What a training run did, returned when it stops (DJL's {@code TrainingResult}).
 *
 * @param steps the learner's steps (a restarted trainer counts on from its checkpoint)
 * @param epochs completed epochs
 * @param rows bank rows N
 * @param lastCheckpointVersion the model version of the last checkpoint taken or announced, 0 when none
 */
public record TrainingResult(long steps, long epochs, int rows, long lastCheckpointVersion) {}
