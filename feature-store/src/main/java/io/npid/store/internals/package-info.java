/** RocksDB details of the feature store: column families, key and value encodings, handles and their lifecycle. */
package io.npid.store.internals;
