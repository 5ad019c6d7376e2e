package io.npid.bench.indexer;

import io.npid.bench.data.RandomVectors;
import io.npid.bench.report.LatencyStats;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.serde.VectorCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The query side of one {@link E2eBenchmark} run: sends queries and features and measures against the result
 * collector.
 */
final class E2eQueries {

    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ResultCollector results;
    private final int k;
    private int sequence;

    E2eQueries(
            final Topics topics,
            final KafkaProducer<byte[], byte[]> producer,
            final ResultCollector results,
            final int k) {
        this.topics = topics;
        this.producer = producer;
        this.results = results;
        this.k = k;
    }

    /** Waits until the producer has sent everything given to it. */
    void flush() {
        producer.flush();
    }

    void feature(final String id, final java.nio.ByteBuffer vector, final int label) {
        IndexerInputs.sendFeature(producer, topics, id, vector, label);
    }

    /** Sends a query and returns its send time (nanoTime). */
    long query(final String id, final float[] vectors, final int row) {
        final long sent = System.nanoTime();
        IndexerInputs.sendQuery(
                producer, topics, id, VectorCodec.encode(vectors, row * E2eBenchmark.DIM, E2eBenchmark.DIM), k);
        return sent;
    }

    /** A query per row of a pseudo-random walk over the features, so queries look like real images. */
    private int row(final float[] vectors) {
        return (int) ((sequence * 2654435761L) % (vectors.length / E2eBenchmark.DIM));
    }

    void closedLoop(final String name, final int count, final float[] vectors) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            final String id = name + "-" + sequence++;
            query(id, vectors, row(vectors));
            require(results.await(id, E2eBenchmark.WAIT), id);
        }
    }

    Map<String, Object> openLoop(final int count, final int rate, final float[] vectors) throws InterruptedException {
        final String[] ids = new String[count];
        final long[] sent = new long[count];
        final long start = System.nanoTime();
        final long interval = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            // Sleep, not spin: on a small machine a spinning sender takes a core from the indexer.
            final long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            ids[i] = "lat-" + sequence++;
            sent[i] = query(ids[i], vectors, row(vectors));
        }
        final double[] latencies = new double[count];
        final double[] toAnswer = new double[count];
        int partial = 0;
        for (int i = 0; i < count; i++) {
            final ResultCollector.Received r = require(results.await(ids[i], E2eBenchmark.WAIT), ids[i]);
            latencies[i] = (r.nanos() - sent[i]) / 1e6;
            // Wall-clock part inside the indexer: query sent -> merge wrote the result (same host clock).
            toAnswer[i] = r.result().getAnsweredTimestampMs() - r.result().getQueryTimestampMs();
            partial += r.result().getStatus() == ResultStatus.OK ? 0 : 1;
        }
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("latency_rate_q_per_s", rate);
        figures.putAll(LatencyStats.summary(latencies, "query_latency_ms_"));
        final Map<String, Object> answered = LatencyStats.summary(toAnswer, "sent_to_answered_ms_");
        figures.put("sent_to_answered_ms_p50", answered.get("sent_to_answered_ms_p50"));
        figures.put("sent_to_answered_ms_p99", answered.get("sent_to_answered_ms_p99"));
        figures.put("latency_not_ok", partial);
        return figures;
    }

    Map<String, Object> sustained(final int count, final float[] vectors) throws InterruptedException {
        final String[] ids = new String[count];
        final long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            ids[i] = "tput-" + sequence++;
            query(ids[i], vectors, row(vectors));
        }
        producer.flush();
        long last = start;
        for (final String id : ids) {
            last = Math.max(
                    last, require(results.await(id, E2eBenchmark.WAIT), id).nanos());
        }
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sustained_queries", count);
        figures.put("sustained_queries_per_s", count / ((last - start) / 1e9));
        return figures;
    }

    /** Produces a new feature, then queries for it until a result has it first; the time that took. */
    Map<String, Object> ingestToQueryable(final int samples) throws InterruptedException {
        final double[] latencies = new double[samples];
        final float[] fresh = RandomVectors.unitRows(samples, E2eBenchmark.DIM, 4242);
        int attempts = 0;
        for (int s = 0; s < samples; s++) {
            final String id = "fresh-" + s;
            final long produced = System.nanoTime();
            feature(id, VectorCodec.encode(fresh, s * E2eBenchmark.DIM, E2eBenchmark.DIM), 3);
            while (true) {
                attempts++;
                final String queryId = "find-" + sequence++;
                query(queryId, fresh, s);
                final ResultCollector.Received r = require(results.await(queryId, E2eBenchmark.WAIT), queryId);
                if (!r.result().getNeighbours().isEmpty()
                        && r.result().getNeighbours().get(0).getId().equals(id)) {
                    latencies[s] = (r.nanos() - produced) / 1e6;
                    break;
                }
            }
        }
        final Map<String, Object> figures =
                new LinkedHashMap<>(LatencyStats.summary(latencies, "ingest_to_queryable_ms_"));
        figures.put("ingest_to_queryable_queries_per_sample", (double) attempts / samples);
        return figures;
    }

    private static ResultCollector.Received require(final ResultCollector.Received r, final String id) {
        if (r == null) {
            throw new IllegalStateException("No result for " + id + " within " + E2eBenchmark.WAIT);
        }
        return r;
    }
}
