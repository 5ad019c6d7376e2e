package io.npid.deploy.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.npid.deploy.process.KafkaClientConfig;
import io.npid.deploy.process.Progress;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.kafka.ClientDefaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Sends queries and reads their results, matching them by request id, with a bounded number in flight.
 *
 * <p>Every send gets a new request id (a random UUID) that the embedder and indexer carry to the result, so two
 * queries sent under one query id are answered apart and each answer finds its own send. A result without a
 * request id (an indexer from before request ids) is matched by its query id. The results consumer has no group:
 * it is assigned every partition of the results topic and starts at the end, so it sees only answers to queries
 * sent after it opened. Results of other clients' queries are skipped; a second result for a request is counted
 * as a duplicate.
 *
 * <p>Why one file of this length: sending queries and matching each result to its query are one loop over one
 * table of queries in flight; a split would cut that loop in two.
 */
public final class QueryClient implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(5);

    private final Topics topics;
    private final Timer latency;
    private final Producer<String, QueryEvent> producer;
    private final Consumer<String, ClassificationResult> consumer;

    /**
     * Opens the producer and the results consumer, positioned at the end of the results topic.
     *
     * @param config client settings
     * @param topics the topic registry
     * @throws KafkaException when the results topic does not exist
     */
    public QueryClient(final KafkaClientConfig config, final Topics topics) {
        this(config, topics, null);
    }

    /**
     * Opens the client and records every answer's latency in {@code npid.query.latency}.
     *
     * @param config client settings
     * @param topics the topic registry
     * @param registry where the latency timer goes, or null for none
     * @throws KafkaException when the results topic does not exist
     */
    public QueryClient(final KafkaClientConfig config, final Topics topics, final MeterRegistry registry) {
        this.topics = topics;
        this.latency = registry == null
                ? null
                : Timer.builder("npid.query.latency")
                        .description("Query sent to result read, measured by the client")
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
        final Map<String, Object> producerSettings = config.with(ClientDefaults.layered(
                ClientDefaults.lowLatencyProducer(), ClientDefaults.imageProducerLimits(topics)));
        producerSettings.put(ProducerConfig.CLIENT_ID_CONFIG, "npid-query");
        // one request in flight: a retried query batch can never be overtaken by a later one
        producerSettings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        this.producer = new KafkaProducer<>(
                producerSettings,
                topics.queries().keySerde().serializer(),
                topics.queries().valueSerde().serializer());
        final Map<String, Object> consumerSettings = config.with(ClientDefaults.lowLatencyConsumer());
        consumerSettings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.CLIENT_ID_CONFIG, "npid-query-results");
        this.consumer = new KafkaConsumer<>(
                consumerSettings,
                topics.results().keySerde().deserializer(),
                topics.results().valueSerde().deserializer());
        final List<PartitionInfo> infos =
                consumer.partitionsFor(topics.results().name(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            close();
            throw new KafkaException("topic " + topics.results().name() + " does not exist; create the topics "
                    + "with 'npid topics' (or check --topic-prefix)");
        }
        final List<TopicPartition> partitions = infos.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // position() resolves the lazy seek now, before the first query can be answered
        partitions.forEach(consumer::position);
    }

    /**
     * Sends the queries, at most {@code maxInFlight} unanswered at a time, and waits for their results.
     *
     * @param requests the queries, sent in order
     * @param maxInFlight how many may wait for an answer at once (1 measures unloaded latency)
     * @param timeout how long to wait for an answer to the last query before giving up on the rest
     * @param progress counts answered queries
     * @return one outcome per request, in request order
     */
    public List<QueryOutcome> run(
            final List<QueryRequest> requests, final int maxInFlight, final Duration timeout, final Progress progress) {
        // By position, not by query id: two requests may share a query id and each has its own outcome.
        final List<QueryOutcome> outcomes = new ArrayList<>(java.util.Collections.nCopies(requests.size(), null));
        final Map<String, java.util.ArrayDeque<Integer>> waiting = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            waiting.computeIfAbsent(requests.get(i).queryId(), id -> new java.util.ArrayDeque<>())
                    .add(i);
        }
        final Map<String, Integer> last = new LinkedHashMap<>();
        stream(requests.iterator(), maxInFlight, timeout, progress, new Listener() {
            @Override
            public void outcome(final QueryOutcome outcome) {
                final int index = waiting.get(outcome.queryId()).poll();
                outcomes.set(index, outcome);
                last.put(outcome.queryId(), index);
            }

            @Override
            public void duplicate(final String queryId) {
                final int index = last.get(queryId);
                final QueryOutcome seen = outcomes.get(index);
                outcomes.set(index, new QueryOutcome(queryId, seen.result(), seen.latencyMs(), seen.duplicates() + 1));
            }
        });
        return outcomes;
    }

    /** Receives the outcomes of {@link #stream}, on the calling thread. */
    public interface Listener {
        /**
         * A query's outcome: its answer as soon as it is read, or no answer once the client gave up.
         *
         * @param outcome the outcome
         */
        void outcome(QueryOutcome outcome);

        /**
         * A further result for an answered request (at-least-once redelivery).
         *
         * @param queryId the request's query id
         */
        default void duplicate(final String queryId) {}
    }

    /**
     * Sends queries taken from an iterator as they are needed, at most {@code maxInFlight} unanswered at a time,
     * and hands each outcome to the listener as it comes (answer order, not request order), so that any number of
     * queries runs in bounded memory.
     *
     * <p>When no answer arrives for {@code timeout}, the client gives up: the queries in flight and the ones not yet
     * sent (taken from the iterator, not sent) are reported unanswered.
     *
     * @param requests the queries; {@code next()} may build each one lazily (e.g. read its file)
     * @param maxInFlight how many may wait for an answer at once
     * @param timeout how long to wait for the next answer before giving up on the rest
     * @param progress counts answered queries
     * @param listener receives every outcome, exactly one per query, and any duplicates
     * @throws KafkaException when sending a query fails
     */
    public void stream(
            final Iterator<QueryRequest> requests,
            final int maxInFlight,
            final Duration timeout,
            final Progress progress,
            final Listener listener) {
        final Map<String, InFlight> sent = new LinkedHashMap<>();
        final Set<String> answered = new HashSet<>();
        final AtomicReference<Exception> sendFailure = new AtomicReference<>();
        long lastAnswerNanos = System.nanoTime();
        while (true) {
            while (requests.hasNext() && sent.size() < maxInFlight) {
                final QueryRequest request = requests.next();
                send(request, sent, sendFailure);
                if (sent.size() == 1) {
                    lastAnswerNanos = System.nanoTime(); // the wait for an answer starts with the first query out
                }
            }
            if (sendFailure.get() != null) {
                throw new KafkaException(
                        "sending a query failed: " + sendFailure.get().getMessage(), sendFailure.get());
            }
            if (sent.isEmpty() && !requests.hasNext()) {
                break;
            }
            for (ConsumerRecord<String, ClassificationResult> record : poll()) {
                final ClassificationResult result = record.value();
                final String requestId = result == null ? null : requestOf(result, sent);
                final InFlight request = requestId == null ? null : sent.remove(requestId);
                if (request == null) {
                    if (requestId != null && answered.contains(requestId)) {
                        listener.duplicate(result.getQueryId());
                    }
                    continue; // another client's query, or a duplicate
                }
                final long now = System.nanoTime();
                if (latency != null) {
                    latency.record(now - request.sentNanos(), TimeUnit.NANOSECONDS);
                }
                answered.add(requestId);
                lastAnswerNanos = now;
                listener.outcome(new QueryOutcome(request.queryId(), result, (now - request.sentNanos()) / 1e6, 0));
                progress.advance(1);
            }
            if (System.nanoTime() - lastAnswerNanos > timeout.toNanos()) {
                // give up: the rest are reported unanswered, not waited for forever
                sent.values().forEach(r -> listener.outcome(unanswered(r.queryId())));
                sent.clear();
                requests.forEachRemaining(r -> listener.outcome(unanswered(r.queryId())));
                break;
            }
        }
        // one last short look for duplicates that arrive right after the final answer
        for (ConsumerRecord<String, ClassificationResult> record : poll()) {
            if (record.value() != null && answered.contains(requestOf(record.value(), sent))) {
                listener.duplicate(record.value().getQueryId());
            }
        }
    }

    /** A query sent and not yet answered. */
    private record InFlight(String queryId, long sentNanos) {}

    /**
     * The request a result answers: its request id, or for a result without one (an indexer from before request
     * ids) the oldest request in flight under its query id, else the query id itself.
     */
    private static String requestOf(final ClassificationResult result, final Map<String, InFlight> sent) {
        if (result.getRequestId() != null) {
            return result.getRequestId();
        }
        for (Map.Entry<String, InFlight> entry : sent.entrySet()) {
            if (entry.getValue().queryId().equals(result.getQueryId())) {
                return entry.getKey();
            }
        }
        return result.getQueryId();
    }

    private static QueryOutcome unanswered(final String queryId) {
        return new QueryOutcome(queryId, null, Double.NaN, 0);
    }

    private void send(
            final QueryRequest request, final Map<String, InFlight> sent, final AtomicReference<Exception> failure) {
        // new for every send, so a query id used twice is still two requests
        final String requestId = UUID.randomUUID().toString();
        final QueryEvent event = QueryEvent.newBuilder()
                .setQueryId(request.queryId())
                .setRequestId(requestId)
                .setImage(request.image())
                .setK(request.k())
                .setReplyKey(null)
                .setTimestampMs(System.currentTimeMillis())
                .build();
        sent.put(requestId, new InFlight(request.queryId(), System.nanoTime()));
        producer.send(new ProducerRecord<>(topics.queries().name(), request.queryId(), event), (meta, error) -> {
            if (error != null) {
                failure.compareAndSet(
                        null,
                        new KafkaException(
                                "query " + request.queryId() + ": "
                                        + error.getMessage()
                                        + (error instanceof RecordTooLargeException
                                                ? "; 'npid topics --verify-only' checks the topics' max.message.bytes"
                                                : ""),
                                error));
            }
        });
    }

    private Iterable<ConsumerRecord<String, ClassificationResult>> poll() {
        try {
            return consumer.poll(POLL);
        } catch (RecordDeserializationException e) {
            // a record this client cannot decode is not one of its answers (its writer is newer or broken)
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return List.of();
        }
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
