/**
 * The paper's two evaluations of learned features: the weighted k-nearest-neighbour vote and a linear classifier
 * trained on frozen features.
 */
package io.npid.trainer.eval;
