package io.npid.deploy.report;

/**
 * One point of the training curve.
 *
 * @param step training step
 * @param epoch fractional epoch (steps * batch / images)
 * @param loss training loss at that step, NaN when not measured
 * @param knnTop1 kNN top-1 accuracy in [0, 1] measured at that step, NaN when not measured
 */
public record CurvePoint(long step, double epoch, double loss, double knnTop1) {}
