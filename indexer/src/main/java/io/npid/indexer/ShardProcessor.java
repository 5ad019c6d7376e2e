package io.npid.indexer;

import io.npid.indexer.internals.FeatureShard;
import io.npid.indexer.internals.HeldQuery;
import io.npid.indexer.internals.KnnPartial;
import io.npid.indexer.internals.ShardInput;
import io.npid.indexer.internals.ShardRow;
import io.npid.indexer.knn.Candidate;
import io.npid.indexer.knn.FlatIndex;
import io.npid.indexer.knn.ShardSearcher;
import io.npid.indexer.knn.TopKResults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One feature shard (one partition): applies features and labels to its {@link FeatureShard}, and scores the
 * queries multicast to it, forwarding each query's local top-k as a {@link KnnPartial} keyed by request id (two
 * queries under one query id are two requests).
 *
 * <p>Queries are batched when the shard is behind: a query whose record is at least
 * {@code npid.indexer.query.batch.lag.ms} old is held, with those after it, until {@code batch.max} are waiting,
 * the input has drained (a punctuation finds no new query), or the oldest has been held for the lag again; a fresh
 * query is scored at once, together with any held ones. A batch is scored in one pass over the shard's rows. Held queries are also
 * written to a changelogged store, so that one whose input offset is committed before it is scored survives a
 * rebalance or a crash and is scored by the shard's next owner.
 *
 * <p>{@code init} runs after the stores have been restored, so the index is rebuilt there, on every start, restore
 * and migration. An update that arrives between held queries applies at once and the held queries see it: the
 * answer always uses the latest features.
 */
final class ShardProcessor implements Processor<String, ShardInput, String, KnnPartial> {

    private static final Duration FLUSH_INTERVAL = Duration.ofMillis(1);

    private final IndexerConfig config;
    private final int partitionsTotal;
    private final List<HeldQuery> held = new ArrayList<>();
    private final TopKResults results = new TopKResults();
    private ProcessorContext<String, KnnPartial> context;
    private FeatureShard shard;
    private KeyValueStore<String, HeldQuery> heldStore;
    private ShardSearcher searcher;
    private float[] batchVectors = new float[0];
    private int partition;
    /** Queries received since the last punctuation: while they keep coming the input is not drained. */
    private int queriesSincePunctuation;
    /** Wall-clock time the oldest held query was held, to bound how long a batch waits to fill. */
    private long heldSinceMs;

    ShardProcessor(final IndexerConfig config, final int partitionsTotal) {
        this.config = config;
        this.partitionsTotal = partitionsTotal;
    }

    @Override
    public void init(final ProcessorContext<String, KnnPartial> processorContext) {
        context = processorContext;
        partition = context.taskId().partition();
        final KeyValueStore<String, ShardRow> rows = context.getStateStore(IndexerTopology.SHARD_STORE);
        shard = new FeatureShard(rows, config.dimension(), config.indexSettings());
        heldStore = context.getStateStore(IndexerTopology.HELD_QUERIES_STORE);
        held.clear();
        try (KeyValueIterator<String, HeldQuery> restored = heldStore.all()) {
            restored.forEachRemaining(entry -> held.add(entry.value));
        }
        held.sort(Comparator.comparingLong(HeldQuery::timestampMs));
        searcher = new ShardSearcher(config.maxK(), config.kernel());
        heldSinceMs = context.currentSystemTimeMs();
        context.schedule(FLUSH_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void close() {
        // A rebalance moved the partition away (or the indexer stops): its in-memory index is dropped.
        if (shard != null) {
            shard.close();
        }
    }

    @Override
    public void process(final Record<String, ShardInput> record) {
        final ShardInput input = record.value();
        if (input instanceof ShardInput.Feature feature) {
            shard.apply(feature);
        } else if (input instanceof ShardInput.Removal removal) {
            shard.apply(removal);
        } else if (input instanceof ShardInput.Label label) {
            shard.apply(label);
        } else if (input instanceof ShardInput.Query query) {
            final HeldQuery next = new HeldQuery(query, record.timestamp());
            if (held.isEmpty()) {
                heldSinceMs = context.currentSystemTimeMs();
            }
            held.add(next);
            queriesSincePunctuation++;
            final boolean behind = context.currentSystemTimeMs() - record.timestamp() >= config.queryBatchLagMs();
            if (!behind || held.size() >= config.queryBatchMax()) {
                flush(false);
            } else {
                heldStore.put(query.meta().requestId(), next);
            }
        }
    }

    /**
     * Flushes the held queries once the input has drained (no query since the last punctuation) or the oldest
     * has waited {@code npid.indexer.query.batch.lag.ms}; the stream thread punctuates after each round of
     * processing, so while a backlog is being read the batch keeps filling.
     */
    private void punctuate(final long nowMs) {
        shard.index().maintain();
        final boolean drained = queriesSincePunctuation == 0;
        queriesSincePunctuation = 0;
        if (!held.isEmpty() && (drained || nowMs - heldSinceMs >= config.queryBatchLagMs())) {
            flush(true);
        }
    }

    /**
     * Scores every held query in one pass and forwards their partials.
     *
     * @param lastIsStored false when the last held query was just added and not written to the held store
     */
    private void flush(final boolean lastIsStored) {
        if (held.isEmpty()) {
            return;
        }
        final int dim = config.dimension();
        final int count = held.size();
        if (batchVectors.length < count * dim) {
            batchVectors = new float[count * dim];
        }
        int maxK = 1;
        for (int i = 0; i < count; i++) {
            final ShardInput.Query query = held.get(i).query();
            System.arraycopy(query.vector(), 0, batchVectors, i * dim, dim);
            maxK = Math.max(maxK, query.meta().k());
        }
        // One search at the batch's largest k: each query's own top-k is a prefix of it (same order, ties by slot).
        searcher.search(shard.index(), batchVectors, count, maxK, results);
        final FlatIndex index = shard.index().rows();
        for (int i = 0; i < count; i++) {
            final HeldQuery query = held.get(i);
            final int found = Math.min(query.query().meta().k(), results.count(i));
            final Candidate[] neighbours = new Candidate[found];
            for (int r = 0; r < found; r++) {
                final int slot = results.slot(i, r);
                // The slot's interned name: no string is made per candidate.
                neighbours[r] = new Candidate(index.idAt(slot), results.similarity(i, r), index.classNameAt(slot));
            }
            final String requestId = query.query().meta().requestId();
            context.forward(new Record<>(
                    requestId,
                    new KnnPartial(
                            query.query().meta(),
                            partition,
                            partitionsTotal,
                            index.labelledCount(),
                            Arrays.asList(neighbours)),
                    query.timestampMs()));
            if (i < count - 1 || lastIsStored) {
                heldStore.delete(requestId);
            }
        }
        held.clear();
    }
}
