/**
 * The durable memory bank: a RocksDB store of ingested images, the image id to row map, one bank vector per row,
 * class names (labels), the trainer's progress and the Kafka offsets it has consumed.
 *
 * <p>{@link io.npid.store.FeatureStore} and its value types are the public API. The RocksDB details (column
 * families, key and value encodings, handles and their lifecycle) are package-private classes of this package:
 * they need the API's types (StoreException, StoredImage, StoreOptions, ...) and the API needs them, so a separate
 * internals package could only be a package cycle.
 */
package io.npid.store;
