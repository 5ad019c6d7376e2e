/**
 * The durable memory bank: a RocksDB store of ingested images, the image id to row map, one bank vector per row,
 * class names (labels), the trainer's progress and the Kafka offsets it has consumed.
 */
package io.npid.store;
