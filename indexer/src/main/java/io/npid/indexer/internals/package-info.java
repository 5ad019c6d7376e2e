/** Indexer internals: shard rows, partial top-k messages, merge state, their serdes and record validation. */
package io.npid.indexer.internals;
