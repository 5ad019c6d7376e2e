/** The learner (model, optimiser, memory bank, one training step), its configuration and the offline training driver. */
package io.npid.trainer.train;
