/** The paper's weighted k-nearest-neighbour evaluation of learned features. */
package io.npid.trainer.eval;
