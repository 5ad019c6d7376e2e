/** Exact k-nearest-neighbour search and the weighted vote over a dense in-memory index, in plain Java without Kafka. */
package io.npid.indexer.knn;
