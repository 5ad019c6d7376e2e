package io.npid.indexer.knn;

/**
 * Where a shard's float vectors are read by id when its index keeps none on the heap: the int8 form holds only
 * codes and re-ranks its candidates with the vectors read here. In the indexer this is the shard's state store
 * (the copy the index is rebuilt from), so the float rows exist once, off the heap.
 *
 * <p>Read on the thread that searches; an implementation need not be thread-safe unless searches share an index.
 */
@FunctionalInterface
public interface RowVectors {

    /**
     * The float vector of an indexed id.
     *
     * @param id image id
     * @return its vector (read only: the caller never changes it), or null if the source has none
     */
    float[] vectorOf(String id);
}
