/** The instance-discrimination objectives (NCE and the full non-parametric softmax) and the memory-bank update rule. */
package io.npid.trainer.loss;
