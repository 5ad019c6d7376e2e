/** Versioned trainer checkpoints on disk with a consistent feature-store snapshot, and their publication. */
package io.npid.trainer.checkpoint;
