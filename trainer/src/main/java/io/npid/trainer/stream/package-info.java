/** The streaming trainer process: consumes images and labels from Kafka, ingests them exactly once into the feature store, trains and publishes features. */
package io.npid.trainer.stream;
