package io.npid.indexer.knn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Lucene's HNSW graph over a {@link FlatIndex}'s rows, kept up to date one row at a time.
 *
 * <p>A graph node (an ordinal) never changes its vector, so a row's new vector is a new node and its old node
 * becomes garbage: still walked through, as HNSW needs its edges, but never returned. A removed row's node is
 * garbage the same way. Once garbage passes {@value #GARBAGE_FRACTION} of the nodes the graph is rebuilt from the
 * live rows, which bounds both the wasted memory and the recall lost to dead nodes.
 *
 * <p>Node vectors are held one array per node. Lucene scores them through this class's scorer, on this package's
 * kernels (the Vector API one where available): Lucene 9.12 uses its own SIMD code only on Java 20 and later.
 */
final class HnswRows {

    /** Garbage share of the nodes that triggers a rebuild. */
    static final double GARBAGE_FRACTION = 0.25;

    private static final int MIN_NODES_FOR_REBUILD = 1024;
    private static final long SEED = 42;
    private static final int NO_SLOT = -1;

    private final int dimension;
    private final int m;
    private final int efConstruction;
    private float[][] vectors = new float[16][];
    private int[] slotOfNode = new int[16];
    private int[] nodeOfSlot = new int[0];
    private int nodes;
    private int garbage;
    private int rebuilds;
    private final InnerProductKernel kernel = Kernels.create(KernelType.AUTO);
    private HnswGraphBuilder builder;

    HnswRows(final int dimension, final int m, final int efConstruction) {
        this.dimension = dimension;
        this.m = m;
        this.efConstruction = efConstruction;
        reset();
    }

    /** Adds a slot's (new) vector as a node; the slot's previous node, if any, becomes garbage. */
    void put(final int slot, final float[] vector) {
        markGarbage(slot);
        add(slot, vector.clone());
    }

    private void add(final int slot, final float[] vector) {
        if (nodes == vectors.length) {
            vectors = Arrays.copyOf(vectors, nodes * 2);
            slotOfNode = Arrays.copyOf(slotOfNode, nodes * 2);
        }
        if (slot >= nodeOfSlot.length) {
            final int old = nodeOfSlot.length;
            nodeOfSlot = Arrays.copyOf(nodeOfSlot, Math.max(slot + 1, old * 2));
            Arrays.fill(nodeOfSlot, old, nodeOfSlot.length, NO_SLOT);
        }
        final int node = nodes++;
        vectors[node] = vector;
        slotOfNode[node] = slot;
        nodeOfSlot[slot] = node;
        try {
            builder.addGraphNode(node);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Marks a removed slot's node as garbage, rebuilding when garbage has grown too large. */
    void remove(final int slot) {
        markGarbage(slot);
    }

    /** Rebuilds from the live nodes if garbage passed its share; called after each change. */
    void maybeRebuild() {
        if (nodes >= MIN_NODES_FOR_REBUILD && garbage > GARBAGE_FRACTION * nodes) {
            rebuild();
        }
    }

    /** Drops every node. */
    void clear() {
        reset();
    }

    /** Live (not garbage) nodes. */
    int liveNodes() {
        return nodes - garbage;
    }

    /** Garbage nodes. */
    int garbageNodes() {
        return garbage;
    }

    /** Times the graph was rebuilt to drop garbage. */
    int rebuilds() {
        return rebuilds;
    }

    /** Heap bytes: the graph (Lucene's own estimate) plus node vectors and the node/slot maps. */
    long bytes() {
        // Each vector array: 16 bytes of header plus its floats, and a reference in the outer array.
        final long vectorBytes = (long) nodes * (16 + 4L * dimension) + 8L * vectors.length;
        return builder.getGraph().ramBytesUsed() + vectorBytes + 4L * slotOfNode.length + 4L * nodeOfSlot.length;
    }

    /**
     * Finds about {@code width} labelled rows nearest a query and offers their slots to a heap with the exact float
     * similarity.
     *
     * @param classCodes the index's class codes (a slot with none is never returned)
     */
    void search(final float[] query, final int width, final int[] classCodes, final TopKHeap heap) {
        if (nodes == garbage) {
            return;
        }
        final Bits accept = new Bits() {
            @Override
            public boolean get(final int node) {
                final int slot = slotOfNode[node];
                return slot != NO_SLOT && classCodes[slot] >= 0;
            }

            @Override
            public int length() {
                return nodes;
            }
        };
        final KnnCollector collector = new TopKnnCollector(width, Integer.MAX_VALUE);
        try {
            HnswGraphSearcher.search(new Scorer(query), collector, builder.getGraph(), accept);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        for (final ScoreDoc hit : collector.topDocs().scoreDocs) {
            final float[] vector = vectors[hit.doc];
            // The same fused multiply-adds in the same order as the exact kernels: the same bits.
            float similarity = 0f;
            for (int d = 0; d < dimension; d++) {
                similarity = Math.fma(query[d], vector[d], similarity);
            }
            if (similarity > heap.threshold()) {
                heap.offer(similarity, slotOfNode[hit.doc]);
            }
        }
    }

    private void markGarbage(final int slot) {
        if (slot < nodeOfSlot.length && nodeOfSlot[slot] != NO_SLOT) {
            slotOfNode[nodeOfSlot[slot]] = NO_SLOT;
            nodeOfSlot[slot] = NO_SLOT;
            garbage++;
        }
    }

    private void rebuild() {
        final float[][] oldVectors = vectors;
        final int[] oldSlots = slotOfNode;
        final int oldNodes = nodes;
        reset();
        for (int node = 0; node < oldNodes; node++) {
            if (oldSlots[node] != NO_SLOT) {
                add(oldSlots[node], oldVectors[node]);
            }
        }
        rebuilds++;
    }

    private void reset() {
        vectors = new float[16][];
        slotOfNode = new int[16];
        final int[] slots = nodeOfSlot;
        nodeOfSlot = new int[slots.length];
        Arrays.fill(nodeOfSlot, NO_SLOT);
        nodes = 0;
        garbage = 0;
        try {
            builder = HnswGraphBuilder.create(new Scorers(), m, efConstruction, SEED);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scores nodes against one vector as Lucene's DOT_PRODUCT does: (1 + inner product) / 2, never negative. */
    private final class Scorer implements RandomVectorScorer {

        private final float[] target;

        Scorer(final float[] target) {
            this.target = target;
        }

        @Override
        public float score(final int node) {
            return Math.max((1f + kernel.dot(target, vectors[node])) / 2f, 0f);
        }

        @Override
        public int maxOrd() {
            return nodes;
        }
    }

    /** Scorers against a node, for inserting it; every copy sees the nodes added since it was made. */
    private final class Scorers implements RandomVectorScorerSupplier {

        @Override
        public RandomVectorScorer scorer(final int node) {
            return new Scorer(vectors[node]);
        }

        @Override
        public RandomVectorScorerSupplier copy() {
            return new Scorers();
        }
    }
}
