/** The stateless query embedder: turns query images into QueryVectors with the latest published encoder. */
package io.npid.trainer.embed;
