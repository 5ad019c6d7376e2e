package io.npid.indexer.knn;

/**
 * A bounded min-heap of (similarity, slot) pairs that keeps the k best seen so far, reused query after query.
 *
 * <p>The root is the worst kept pair, so {@link #threshold()} is the similarity a candidate must beat. Order:
 * higher similarity is better, and between equal similarities the lower slot is better, so results do not depend
 * on the order rows were scanned in. Nothing is allocated after construction.
 */
public final class TopKHeap {

    private final float[] similarities;
    private final int[] slots;
    private int k;
    private int size;

    /**
     * Creates a heap that can hold up to {@code maxK} pairs.
     *
     * @param maxK the largest k this heap will be reset to, at least 1
     * @throws IllegalArgumentException if maxK is below 1
     */
    public TopKHeap(final int maxK) {
        if (maxK < 1) {
            throw new IllegalArgumentException("A top-k heap needs k >= 1, not " + maxK);
        }
        similarities = new float[maxK];
        slots = new int[maxK];
        k = maxK;
    }

    /**
     * Empties the heap and sets how many pairs it keeps.
     *
     * @param newK pairs to keep, 1..capacity
     * @throws IllegalArgumentException if newK is outside 1..capacity
     */
    public void reset(final int newK) {
        if (newK < 1 || newK > similarities.length) {
            throw new IllegalArgumentException("k must be between 1 and " + similarities.length + ", not " + newK);
        }
        k = newK;
        size = 0;
    }

    /**
     * The similarity a candidate must exceed to enter: negative infinity until k pairs are kept.
     *
     * @return the threshold
     */
    public float threshold() {
        return size < k ? Float.NEGATIVE_INFINITY : similarities[0];
    }

    /**
     * Offers a candidate; it is kept if the heap is not full or it is better than the worst kept pair.
     *
     * @param similarity the candidate's similarity
     * @param slot the candidate's slot
     */
    public void offer(final float similarity, final int slot) {
        if (size < k) {
            siftUp(size++, similarity, slot);
        } else if (better(similarity, slot, similarities[0], slots[0])) {
            siftDown(similarity, slot);
        }
    }

    /**
     * Pairs kept.
     *
     * @return the size, at most k
     */
    public int size() {
        return size;
    }

    /**
     * Empties the heap into arrays, best first.
     *
     * @param outSlots receives the slots at {@code offset..offset+size-1}
     * @param outSimilarities receives the similarities at the same places
     * @param offset first index to write
     * @return how many pairs were written
     */
    public int drainDescending(final int[] outSlots, final float[] outSimilarities, final int offset) {
        final int count = size;
        // Pop the worst into the last free place until empty: the arrays end up best first.
        for (int i = count - 1; i >= 0; i--) {
            outSlots[offset + i] = slots[0];
            outSimilarities[offset + i] = similarities[0];
            final float lastSimilarity = similarities[size - 1];
            final int lastSlot = slots[size - 1];
            size--;
            if (size > 0) {
                siftDown(lastSimilarity, lastSlot);
            }
        }
        return count;
    }

    private static boolean better(final float sim, final int slot, final float otherSim, final int otherSlot) {
        return sim > otherSim || (sim == otherSim && slot < otherSlot);
    }

    private void siftUp(final int start, final float sim, final int slot) {
        int child = start;
        while (child > 0) {
            final int parent = (child - 1) >>> 1;
            if (!better(similarities[parent], slots[parent], sim, slot)) {
                break;
            }
            similarities[child] = similarities[parent];
            slots[child] = slots[parent];
            child = parent;
        }
        similarities[child] = sim;
        slots[child] = slot;
    }

    /** Replaces the root with (sim, slot) and restores the heap order. */
    private void siftDown(final float sim, final int slot) {
        int parent = 0;
        final int half = size >>> 1;
        while (parent < half) {
            int child = 2 * parent + 1;
            final int right = child + 1;
            if (right < size && better(similarities[child], slots[child], similarities[right], slots[right])) {
                child = right;
            }
            if (!better(sim, slot, similarities[child], slots[child])) {
                break;
            }
            similarities[parent] = similarities[child];
            slots[parent] = slots[child];
            parent = child;
        }
        similarities[parent] = sim;
        slots[parent] = slot;
    }
}
