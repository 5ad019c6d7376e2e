package io.npid.indexer;

import io.npid.indexer.internals.KnnPartial;
import io.npid.indexer.internals.PendingMerge;
import io.npid.indexer.internals.ResultBuilder;
import io.npid.indexer.knn.KnnVote;
import io.npid.schemas.event.ClassificationResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Gathers the partial top-k lists of a query from every shard, merges them into the global top-k, votes, and
 * writes exactly one ClassificationResult per query.
 *
 * <p>A request's state lives in a changelogged store keyed by request id, so a merge survives a rebalance and
 * two queries sent under one query id (two requests) are merged apart, each from its own partials. When every
 * partition has answered the result is OK (or NO_LABELLED_ROWS); a wall-clock punctuator answers the requests
 * whose first partial is older than {@code npid.indexer.merge.timeout.ms} with what has arrived, status PARTIAL.
 * After answering, a marker without neighbours is kept for a while so that a late or repeated partial (a slow
 * shard, an at-least-once redelivery of the same request) does not produce a second result.
 */
final class MergeProcessor implements Processor<String, KnnPartial, String, ClassificationResult> {

    private static final Duration MIN_MARKER_RETENTION = Duration.ofSeconds(60);

    private final long timeoutMs;
    private final long markerRetentionMs;
    private final ResultBuilder results;
    /** Request ids by first-partial time: the order their timeouts fall due in. */
    private final ArrayDeque<KeyValue<Long, String>> pending = new ArrayDeque<>();
    /** Answered markers by answer time: the order they expire in. */
    private final ArrayDeque<KeyValue<Long, String>> markers = new ArrayDeque<>();

    private ProcessorContext<String, ClassificationResult> context;
    private KeyValueStore<String, PendingMerge> store;

    MergeProcessor(final IndexerConfig config) {
        this.timeoutMs = config.mergeTimeout().toMillis();
        this.markerRetentionMs = Math.max(2 * timeoutMs, MIN_MARKER_RETENTION.toMillis());
        this.results = new ResultBuilder(new KnnVote(config.temperature()));
    }

    /**
     * How often the timeout punctuator runs: a tenth of the timeout, between 1 ms and 1 s.
     *
     * @param timeout the merge timeout
     * @return the punctuation interval
     */
    static Duration checkInterval(final Duration timeout) {
        return Duration.ofMillis(Math.max(1, Math.min(1000, timeout.toMillis() / 10)));
    }

    @Override
    public void init(final ProcessorContext<String, ClassificationResult> processorContext) {
        context = processorContext;
        store = context.getStateStore(IndexerTopology.MERGE_STORE);
        pending.clear();
        markers.clear();
        // Rebuild the deadline queues from the restored store: the merges this task owned before a restart or
        // that it took over from another instance.
        final List<KeyValue<Long, String>> open = new ArrayList<>();
        final List<KeyValue<Long, String>> answered = new ArrayList<>();
        try (KeyValueIterator<String, PendingMerge> all = store.all()) {
            all.forEachRemaining(entry -> (entry.value.isAnswered() ? answered : open)
                    .add(KeyValue.pair(
                            entry.value.isAnswered() ? entry.value.answeredMs() : entry.value.firstPartialMs(),
                            entry.key)));
        }
        open.sort(Comparator.comparingLong(kv -> kv.key));
        answered.sort(Comparator.comparingLong(kv -> kv.key));
        pending.addAll(open);
        markers.addAll(answered);
        context.schedule(checkInterval(Duration.ofMillis(timeoutMs)), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(final Record<String, KnnPartial> record) {
        final KnnPartial partial = record.value();
        final String requestId = partial.query().requestId();
        final long now = context.currentSystemTimeMs();
        final PendingMerge state = store.get(requestId);
        final PendingMerge next;
        if (state == null) {
            next = PendingMerge.first(partial, now);
            if (!next.complete()) {
                pending.addLast(KeyValue.pair(now, requestId));
            }
        } else if (state.isAnswered() || state.hasAnswerFrom(partial.partition())) {
            return; // late or repeated: the query has its answer, or this partition's part is merged already
        } else {
            next = state.plus(partial);
        }
        if (next.complete()) {
            answer(requestId, next, false, now, record.timestamp());
        } else {
            store.put(requestId, next);
        }
    }

    /** Answers the merges that timed out and forgets the markers that expired. */
    private void expire(final long now) {
        while (!pending.isEmpty() && pending.peekFirst().key + timeoutMs <= now) {
            final String requestId = pending.pollFirst().value;
            final PendingMerge state = store.get(requestId);
            if (state != null && !state.isAnswered()) {
                answer(requestId, state, true, now, now);
            }
        }
        while (!markers.isEmpty() && markers.peekFirst().key + markerRetentionMs <= now) {
            final String requestId = markers.pollFirst().value;
            final PendingMerge state = store.get(requestId);
            if (state != null && state.isAnswered()) {
                store.delete(requestId);
            }
        }
    }

    private void answer(
            final String requestId,
            final PendingMerge state,
            final boolean timedOut,
            final long now,
            final long timestamp) {
        final ClassificationResult result = results.build(state, timedOut, now);
        context.forward(new Record<>(state.query().resultKey(), result, timestamp));
        store.put(requestId, state.answeredAt(now));
        markers.addLast(KeyValue.pair(now, requestId));
    }
}
