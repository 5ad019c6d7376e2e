package io.npid.indexer.knn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.InitializedHnswGraphBuilder;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Lucene's HNSW graph over a {@link FlatIndex}'s rows, kept up to date one row at a time, with whole-graph builds
 * off the calling (stream) thread.
 *
 * <p>A graph node (an ordinal) never changes its vector, so a row's new vector is a new node and its old node
 * becomes garbage: still walked through, as HNSW needs its edges, but never returned. A removed row's node is
 * garbage the same way.
 *
 * <p>Nodes {@code [0, graphNodes)} are in the graph; the newer ones, the tail, are scanned exactly by every
 * search. A new node joins the graph at once when the tail is empty and the graph has room (Lucene's incremental
 * insert, about a millisecond at a million nodes). A whole build runs on the build executor, from a snapshot of
 * the live nodes (their vector arrays are shared, never copied): for the first graph, when the tail passes
 * {@value #TAIL_LIMIT} nodes (a graph that is full, a restore), or when garbage passes {@value #GARBAGE_FRACTION}
 * of the nodes. Meanwhile the old structure takes every change as before and searches use it. The next change after the
 * build is done swaps the new graph in: the snapshot's nodes removed since are marked garbage, the nodes added
 * since become its tail and are inserted (or, if more than {@value #TAIL_LIMIT}, left to another build). A
 * search may swap too, but leaves the tail to the next change: Lucene's graph is not safe for an insert during a
 * search, and several threads may search at once.
 *
 * <p>Node vectors are held one array per node. Lucene scores them through this class's scorer, on this package's
 * kernels (the Vector API one where available): Lucene 9.12 uses its own SIMD code only on Java 20 and later.
 *
 * <p>Changes come from one thread; searches from that thread, or from several while nothing changes.
 */
final class HnswRows {

    /** Garbage share of the nodes that triggers a rebuild. */
    static final double GARBAGE_FRACTION = 0.25;

    /** Tail nodes above which a whole build starts instead of inserting them one by one. */
    static final int TAIL_LIMIT = 1024;

    /** Sample queries whose graph answers a build checks against an exact scan of its nodes. */
    static final int RECALL_SAMPLE = 32;

    /** Neighbours compared per sample query: the vote's default k, searched at that width (no spare beam). */
    static final int RECALL_K = 200;

    private static final int MIN_NODES_FOR_REBUILD = 1024;
    private static final long SEED = 42;
    private static final int NO_SLOT = -1;

    /** Builds run here unless a test gives its own executor: daemon threads, so a build never holds up an exit. */
    /** Whole builds queued or running in this JVM, over every shard (done, failed or abandoned ones leave it). */
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();

    static final Executor BACKGROUND = Executors.newCachedThreadPool(daemonThreads("npid-hnsw-build"));

    private final int dimension;
    private final int m;
    private final int efConstruction;
    private final int buildThreads;
    private final Executor executor;
    private final InnerProductKernel kernel = Kernels.create(KernelType.AUTO);
    private volatile Nodes current;
    private FutureTask<Nodes> build;
    /** What {@link #build} fills in, so that {@link #abandon()} can stop it. */
    private Nodes building;

    private int[] buildOldNodes;
    private int buildSnapshotNodes;
    private boolean loading;
    private int builds;

    /**
     * Creates an empty index: no graph until the first build.
     *
     * @param executor runs whole builds
     */
    HnswRows(
            final int dimension,
            final int m,
            final int efConstruction,
            final int buildThreads,
            final Executor executor) {
        this.dimension = dimension;
        this.m = m;
        this.efConstruction = efConstruction;
        this.buildThreads = buildThreads;
        this.executor = executor;
        this.current = new Nodes(16, 0);
    }

    /** Adds a slot's (new) vector as a node; the slot's previous node, if any, becomes garbage. */
    void put(final int slot, final float[] vector) {
        swapIfBuilt();
        final Nodes nodes = current;
        markGarbage(nodes, slot);
        nodes.append(slot, vector.clone());
        settle();
    }

    /** Takes in a finished build and settles the tail with no change to trigger it: the input may have gone quiet. */
    void maintain() {
        if (!loading) {
            swapIfBuilt();
            settle();
        }
    }

    /** Marks a removed slot's node as garbage. */
    void remove(final int slot) {
        swapIfBuilt();
        markGarbage(current, slot);
        settle();
    }

    /**
     * While loading (a restore), new nodes stay in the tail and no build starts; ending it starts the one build.
     *
     * @param on whether a load is under way
     */
    void setLoading(final boolean on) {
        loading = on;
        if (!on) {
            swapIfBuilt();
            settle();
        }
    }

    /** Waits for builds until the graph holds every node (or no graph is needed): for benchmarks and tests. */
    void awaitGraph() {
        while (build != null) {
            try {
                build.get();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the HNSW build", e);
            } catch (final ExecutionException e) {
                // swapIfBuilt reports it.
            }
            swapIfBuilt();
            settle();
        }
    }

    /** Stops a build queued or in flight at its next node: this index is discarded (cleared or closed). */
    void abandon() {
        if (building != null) {
            building.abandoned = true;
        }
        build = null;
        building = null;
    }

    /** Whether a graph exists, swapping in a finished build first (AUTO searches exactly until then). */
    boolean hasGraph() {
        swapIfBuilt();
        return current.graph != null;
    }

    /**
     * The recall@{@value #RECALL_K} the current graph's build measured on a sample of its own nodes as queries
     * ({@value #RECALL_SAMPLE}, an exact scan as the reference), swapping in a finished build first.
     *
     * @return the sample recall, NaN without a graph
     */
    double graphRecall() {
        swapIfBuilt();
        return current.graph == null ? Double.NaN : current.recall;
    }

    /** Whole builds queued or running in this JVM, over every shard. */
    static int buildsInFlight() {
        return IN_FLIGHT.get();
    }

    /** Whether a whole build is running. */
    boolean building() {
        return build != null;
    }

    /** Live (not garbage) nodes. */
    int liveNodes() {
        return current.count - current.garbage;
    }

    /** Garbage nodes. */
    int garbageNodes() {
        return current.garbage;
    }

    /** Nodes outside the graph, scanned exactly. */
    int tailNodes() {
        return current.count - current.graphNodes;
    }

    /** Whole builds swapped in (the first graph, rebuilds after garbage or a long tail). */
    int builds() {
        return builds;
    }

    /** Heap bytes: the graph (Lucene's own estimate) plus node vectors and the node/slot maps. */
    long bytes() {
        final Nodes nodes = current;
        // Each vector array: 16 bytes of header plus its floats, and a reference in the outer array.
        final long vectorBytes = (long) nodes.count * (16 + 4L * dimension) + 8L * nodes.vectors.length;
        final long graphBytes = nodes.graph == null ? 0L : nodes.graph.ramBytesUsed();
        return graphBytes + vectorBytes + 4L * nodes.slotOfNode.length + 4L * nodes.nodeOfSlot.length;
    }

    /**
     * Finds about {@code width} labelled rows nearest a query and offers their slots to a heap with the exact float
     * similarity: the graph's best {@code width}, and every tail node.
     *
     * @param classCodes the index's class codes (a slot with none is never returned)
     */
    void search(final float[] query, final int width, final int[] classCodes, final TopKHeap heap) {
        swapIfBuilt();
        final Nodes nodes = current;
        if (nodes.graph != null && nodes.graphNodes > 0) {
            final int[] slotOfNode = nodes.slotOfNode;
            final int limit = nodes.graphNodes;
            final Bits accept = new Bits() {
                @Override
                public boolean get(final int node) {
                    final int slot = slotOfNode[node];
                    return slot != NO_SLOT && classCodes[slot] >= 0;
                }

                @Override
                public int length() {
                    return limit;
                }
            };
            final KnnCollector collector = new TopKnnCollector(width, Integer.MAX_VALUE);
            try {
                HnswGraphSearcher.search(nodes.scorer(query), collector, nodes.graph, accept);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            final ScoreDoc[] hits = collector.topDocs().scoreDocs;
            final int[] found = new int[hits.length];
            for (int i = 0; i < hits.length; i++) {
                found[i] = hits[i].doc;
            }
            offerExact(nodes, query, found, 0, found.length, heap);
        }
        final int tail = nodes.count - nodes.graphNodes;
        if (tail > 0) {
            final int[] candidates = new int[tail];
            int count = 0;
            for (int node = nodes.graphNodes; node < nodes.count; node++) {
                final int slot = nodes.slotOfNode[node];
                if (slot != NO_SLOT && classCodes[slot] >= 0) {
                    candidates[count++] = node;
                }
            }
            offerExact(nodes, query, candidates, 0, count, heap);
        }
    }

    /**
     * Offers nodes with their exact similarity: the same fused multiply-adds in the same order as the exact kernels
     * (the same bits), four nodes at a time so that four independent chains overlap in the CPU.
     */
    private void offerExact(
            final Nodes nodes,
            final float[] query,
            final int[] found,
            final int from,
            final int to,
            final TopKHeap heap) {
        int i = from;
        for (; i + 4 <= to; i += 4) {
            final float[] a = nodes.vectors[found[i]];
            final float[] b = nodes.vectors[found[i + 1]];
            final float[] c = nodes.vectors[found[i + 2]];
            final float[] e = nodes.vectors[found[i + 3]];
            float sa = 0f;
            float sb = 0f;
            float sc = 0f;
            float se = 0f;
            for (int d = 0; d < dimension; d++) {
                final float q = query[d];
                sa = Math.fma(q, a[d], sa);
                sb = Math.fma(q, b[d], sb);
                sc = Math.fma(q, c[d], sc);
                se = Math.fma(q, e[d], se);
            }
            offer(nodes, heap, sa, found[i]);
            offer(nodes, heap, sb, found[i + 1]);
            offer(nodes, heap, sc, found[i + 2]);
            offer(nodes, heap, se, found[i + 3]);
        }
        for (; i < to; i++) {
            final float[] vector = nodes.vectors[found[i]];
            float similarity = 0f;
            for (int d = 0; d < dimension; d++) {
                similarity = Math.fma(query[d], vector[d], similarity);
            }
            offer(nodes, heap, similarity, found[i]);
        }
    }

    private static void offer(final Nodes nodes, final TopKHeap heap, final float similarity, final int node) {
        if (similarity > heap.threshold()) {
            heap.offer(similarity, nodes.slotOfNode[node]);
        }
    }

    private static void markGarbage(final Nodes nodes, final int slot) {
        if (slot < nodes.nodeOfSlot.length && nodes.nodeOfSlot[slot] != NO_SLOT) {
            nodes.slotOfNode[nodes.nodeOfSlot[slot]] = NO_SLOT;
            nodes.nodeOfSlot[slot] = NO_SLOT;
            nodes.garbage++;
        }
    }

    /** After a change: inserts a short tail into a graph with room, or starts a whole build when one is due. */
    private void settle() {
        final Nodes nodes = current;
        final int tail = nodes.count - nodes.graphNodes;
        final boolean fits = nodes.graph != null && nodes.count <= nodes.capacity;
        // A single new node goes into the graph at once, during a build too (the old graph takes changes as they
        // come); a longer tail only when no build runs and not loading, and never more than TAIL_LIMIT at a time.
        if (!loading && fits && tail > 0 && (tail == 1 || (build == null && tail <= TAIL_LIMIT))) {
            nodes.insertTail();
        }
        if (build != null || loading) {
            return;
        }
        final boolean garbageDue =
                nodes.count >= MIN_NODES_FOR_REBUILD && nodes.garbage > GARBAGE_FRACTION * nodes.count;
        final int live = nodes.count - nodes.garbage;
        if (garbageDue && live == 0) {
            current = new Nodes(16, nodes.nodeOfSlot.length);
        } else if (garbageDue || nodes.count - nodes.graphNodes > TAIL_LIMIT || (nodes.graph == null && live > 0)) {
            startBuild(nodes);
        }
    }

    /** Snapshots the live nodes and builds their graph on the executor. */
    private void startBuild(final Nodes nodes) {
        final int live = nodes.count - nodes.garbage;
        final int capacity = 2 * live + 2 * TAIL_LIMIT;
        final Nodes fresh = new Nodes(capacity, 0);
        final int[] oldNodes = new int[live];
        int next = 0;
        for (int node = 0; node < nodes.count; node++) {
            final int slot = nodes.slotOfNode[node];
            if (slot != NO_SLOT) {
                oldNodes[next] = node;
                fresh.vectors[next] = nodes.vectors[node];
                fresh.slotOfNode[next] = slot;
                next++;
            }
        }
        fresh.count = live;
        fresh.capacity = capacity;
        buildOldNodes = oldNodes;
        buildSnapshotNodes = nodes.count;
        building = fresh;
        build =
                new FutureTask<>(() -> {
                    fresh.buildGraph(live);
                    return fresh;
                }) {
                    @Override
                    protected void done() {
                        IN_FLIGHT.decrementAndGet();
                    }
                };
        IN_FLIGHT.incrementAndGet();
        executor.execute(build);
    }

    /** If the build is done: maps the changes made since its snapshot onto the new structure and swaps it in. */
    private synchronized void swapIfBuilt() {
        if (build == null || !build.isDone()) {
            return;
        }
        final FutureTask<Nodes> done = build;
        build = null;
        building = null;
        final Nodes fresh;
        try {
            fresh = done.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while taking the HNSW build", e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("HNSW graph build failed", e.getCause());
        }
        final Nodes old = current;
        fresh.nodeOfSlot = new int[old.nodeOfSlot.length];
        Arrays.fill(fresh.nodeOfSlot, NO_SLOT);
        for (int node = 0; node < fresh.count; node++) {
            if (old.slotOfNode[buildOldNodes[node]] == NO_SLOT) {
                fresh.slotOfNode[node] = NO_SLOT;
                fresh.garbage++;
            } else {
                fresh.nodeOfSlot[fresh.slotOfNode[node]] = node;
            }
        }
        for (int node = buildSnapshotNodes; node < old.count; node++) {
            if (old.slotOfNode[node] != NO_SLOT) {
                fresh.append(old.slotOfNode[node], old.vectors[node]);
            }
        }
        buildOldNodes = null;
        builds++;
        current = fresh;
    }

    /**
     * Node vectors, node/slot maps and the graph over the first {@code graphNodes}: replaced as a whole by a swap,
     * so that a search that read {@link #current} once sees one consistent structure.
     */
    private final class Nodes {

        float[][] vectors;
        int[] slotOfNode;
        int[] nodeOfSlot;
        int count;
        int garbage;
        int graphNodes;
        int capacity;
        OnHeapHnswGraph graph;
        HnswGraphBuilder inserter;
        double recall = Double.NaN;
        /** Set by {@link #abandon()}: the build throws at its next node instead of running to its end. */
        volatile boolean abandoned;

        Nodes(final int initialNodes, final int slots) {
            vectors = new float[Math.max(16, initialNodes)][];
            slotOfNode = new int[vectors.length];
            nodeOfSlot = new int[slots];
            Arrays.fill(nodeOfSlot, NO_SLOT);
        }

        void append(final int slot, final float[] vector) {
            if (count == vectors.length) {
                vectors = Arrays.copyOf(vectors, count * 2);
                slotOfNode = Arrays.copyOf(slotOfNode, count * 2);
            }
            if (slot >= nodeOfSlot.length) {
                final int old = nodeOfSlot.length;
                nodeOfSlot = Arrays.copyOf(nodeOfSlot, Math.max(slot + 1, Math.max(16, old * 2)));
                Arrays.fill(nodeOfSlot, old, nodeOfSlot.length, NO_SLOT);
            }
            final int node = count++;
            vectors[node] = vector;
            slotOfNode[node] = slot;
            nodeOfSlot[slot] = node;
        }

        /** Inserts the tail into the graph, in node order (Lucene lists a level's nodes as 0..size-1). */
        void insertTail() {
            try {
                while (graphNodes < count) {
                    inserter.addGraphNode(graphNodes);
                    graphNodes++;
                }
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Builds the graph of the first {@code nodes} nodes, on the build thread; nothing else touches this yet. */
        void buildGraph(final int nodes) throws IOException {
            // A graph of fixed size: Lucene's concurrent build cannot grow it; the room left takes later inserts.
            final OnHeapHnswGraph fresh = HnswGraphBuilder.create(new Scorers(this), m, efConstruction, SEED, capacity)
                    .getGraph();
            final ExecutorService workers = buildThreads > 1
                    ? Executors.newFixedThreadPool(buildThreads, daemonThreads("npid-hnsw-worker"))
                    : null;
            try {
                final TaskExecutor tasks = new TaskExecutor(workers != null ? workers : Runnable::run);
                new HnswConcurrentMergeBuilder(tasks, buildThreads, new Scorers(this), m, efConstruction, fresh, null)
                        .build(nodes);
            } finally {
                if (workers != null) {
                    workers.shutdown();
                }
            }
            graph = fresh;
            graphNodes = nodes;
            recall = sampleRecall(nodes);
            // Marks no node as already in the graph: it inserts any node it is given into the built graph.
            inserter = new InitializedHnswGraphBuilder(
                    new Scorers(this), m, efConstruction, SEED, fresh, new FixedBitSet(capacity));
        }

        /**
         * Recall@k of graph searches against an exact scan of the first {@code nodes} nodes, for evenly spread
         * nodes as queries: a graph over directions with no structure (uniform in 128-d) finds a small share of the
         * true neighbours at any width, which only a measurement on the data itself reveals.
         */
        private double sampleRecall(final int nodes) throws IOException {
            final int k = Math.min(RECALL_K, nodes);
            final int queries = Math.min(RECALL_SAMPLE, nodes);
            final TopKHeap exact = new TopKHeap(k);
            final int[] expected = new int[k];
            final float[] similarities = new float[k];
            long found = 0;
            for (int q = 0; q < queries; q++) {
                final float[] query = vectors[(int) ((long) q * nodes / queries)];
                exact.reset(k);
                for (int node = 0; node < nodes; node++) {
                    final float similarity = kernel.dot(query, vectors[node]);
                    if (similarity > exact.threshold()) {
                        exact.offer(similarity, node);
                    }
                }
                final int count = exact.drainDescending(expected, similarities, 0);
                final java.util.Set<Integer> truth = new java.util.HashSet<>();
                for (int i = 0; i < count; i++) {
                    truth.add(expected[i]);
                }
                final KnnCollector collector = new TopKnnCollector(k, Integer.MAX_VALUE);
                HnswGraphSearcher.search(scorer(query), collector, graph, null);
                for (final ScoreDoc hit : collector.topDocs().scoreDocs) {
                    found += truth.contains(hit.doc) ? 1 : 0;
                }
            }
            return (double) found / ((long) queries * k);
        }

        RandomVectorScorer scorer(final float[] target) {
            return new Scorer(this, target);
        }
    }

    /** Scores nodes against one vector as Lucene's DOT_PRODUCT does: (1 + inner product) / 2, never negative. */
    private final class Scorer implements RandomVectorScorer {

        private final Nodes nodes;
        private final float[] target;

        Scorer(final Nodes nodes, final float[] target) {
            this.nodes = nodes;
            this.target = target;
        }

        @Override
        public float score(final int node) {
            return Math.max((1f + kernel.dot(target, nodes.vectors[node])) / 2f, 0f);
        }

        @Override
        public int maxOrd() {
            return nodes.count;
        }
    }

    /** Scorers against a node, for inserting it; every copy sees the nodes added since it was made. */
    private final class Scorers implements RandomVectorScorerSupplier {

        private final Nodes nodes;

        Scorers(final Nodes nodes) {
            this.nodes = nodes;
        }

        @Override
        public RandomVectorScorer scorer(final int node) {
            if (nodes.abandoned) {
                // Lucene's builders take no cancel; they ask for a scorer per node, so this stops them within one.
                throw new CancellationException("HNSW build abandoned");
            }
            return new Scorer(nodes, nodes.vectors[node]);
        }

        @Override
        public RandomVectorScorerSupplier copy() {
            return new Scorers(nodes);
        }
    }

    private static ThreadFactory daemonThreads(final String name) {
        final AtomicInteger next = new AtomicInteger();
        return task -> {
            final Thread thread = new Thread(task, name + "-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
