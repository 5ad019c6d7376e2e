/** Versioned trainer checkpoints on disk (learner state with a consistent feature-store snapshot) and their publication as ModelCheckpoint records. */
package io.npid.trainer.checkpoint;
