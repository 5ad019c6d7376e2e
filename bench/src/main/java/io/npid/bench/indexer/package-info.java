/** Benchmarks of the kNN engine and of the indexer end to end, as mains that print figures and write JSON. */
package io.npid.bench.indexer;
