/** The streaming trainer: ingests images and labels exactly once into the feature store, trains, publishes. */
package io.npid.trainer.stream;
