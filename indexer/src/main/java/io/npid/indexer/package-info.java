/** The indexer: a Kafka Streams topology that answers weighted kNN classification queries from feature shards. */
package io.npid.indexer;
