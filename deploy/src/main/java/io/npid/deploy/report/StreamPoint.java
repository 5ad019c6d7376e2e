package io.npid.deploy.report;

/**
 * One accuracy probe of a streamed run ({@code npid local --stream-rate}): how the live answers did while the
 * training images were still arriving.
 *
 * @param seconds seconds since the first image of the stream was due
 * @param imagesSent training images sent so far
 * @param imagesLabelled of those, the ones whose label was sent
 * @param imagesStored rows in the trainer's memory bank at the probe
 * @param knnTop1 share of the probe queries answered with their true class, in [0, 1]; NaN when none was answered
 */
public record StreamPoint(double seconds, long imagesSent, long imagesLabelled, long imagesStored, double knnTop1) {}
