package io.npid.bench.scale;

import io.npid.bench.indexer.IndexerInputs;
import io.npid.bench.indexer.ResultCollector;
import io.npid.bench.report.LatencyStats;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.serde.VectorCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The query side of {@link ScaleIndexerRun}: sends query vectors that are rows of the bank and measures against the
 * results.
 */
final class ScaleQueries {
    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ResultCollector results;
    private final int k;
    private final float[] vector = new float[ScaleIndexerRun.DIM];
    private long sequence;

    ScaleQueries(
            final Topics topics,
            final KafkaProducer<byte[], byte[]> producer,
            final ResultCollector results,
            final int k) {
        this.topics = topics;
        this.producer = producer;
        this.results = results;
        this.k = k;
    }

    /** A pseudo-random walk over the rows. */
    private int nextRow(final int rows) {
        return (int) ((sequence * 2654435761L) % rows);
    }

    private String send(final String id, final int row) {
        ScaleBenchmark.vector(row, vector);
        IndexerInputs.sendQuery(producer, topics, id, VectorCodec.encode(vector, 0, ScaleIndexerRun.DIM), k);
        producer.flush();
        return id;
    }

    void closedLoop(final int count, final int rows, final Duration wait) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            final String id = send("warm-" + sequence, nextRow(rows));
            sequence++;
            if (results.await(id, wait) == null) {
                throw new IllegalStateException("No result for " + id + " within " + wait);
            }
        }
    }

    /** Queries for rows of the bank, one at a time; how many found their own row first. */
    int selfHits(final int count, final int rows, final Duration wait) throws InterruptedException {
        int hits = 0;
        for (int i = 0; i < count; i++) {
            final int row = nextRow(rows);
            final String id = send("check-" + sequence, row);
            sequence++;
            final ResultCollector.Received r = results.await(id, wait);
            if (r != null
                    && !r.result().getNeighbours().isEmpty()
                    && r.result().getNeighbours().get(0).getId().equals(ScaleBenchmark.id(row))) {
                hits++;
            }
        }
        return hits;
    }

    Map<String, Object> openLoop(final int count, final int rate, final int rows, final Duration wait)
            throws InterruptedException {
        final String[] ids = new String[count];
        final int[] queried = new int[count];
        final long[] sent = new long[count];
        final long interval = 1_000_000_000L / rate;
        final long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            // sleep, not spin: on a small machine a spinning sender takes a core from the indexer
            final long pause = start + i * interval - System.nanoTime();
            if (pause > 0) {
                LockSupport.parkNanos(pause);
            }
            queried[i] = nextRow(rows);
            ids[i] = "q-" + sequence++;
            sent[i] = System.nanoTime();
            send(ids[i], queried[i]);
        }
        final double sendSeconds = (System.nanoTime() - start) / 1e9;
        final double[] latencies = new double[count];
        int answered = 0;
        int ok = 0;
        int selfHits = 0;
        for (int i = 0; i < count; i++) {
            final ResultCollector.Received r = results.await(ids[i], wait);
            if (r == null) {
                continue;
            }
            latencies[answered++] = (r.nanos() - sent[i]) / 1e6;
            ok += r.result().getStatus() == ResultStatus.OK ? 1 : 0;
            if (!r.result().getNeighbours().isEmpty()
                    && r.result().getNeighbours().get(0).getId().equals(ScaleBenchmark.id(queried[i]))) {
                selfHits++;
            }
        }
        final double[] measured = java.util.Arrays.copyOf(latencies, answered);
        java.util.Arrays.sort(measured);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("query_rate_target_q_per_s", rate);
        figures.put("query_rate_achieved_q_per_s", count / sendSeconds);
        figures.put("queries_sent", count);
        figures.put("queries_answered", answered);
        figures.put("queries_ok", ok);
        figures.put("queries_self_hit", selfHits);
        figures.put("query_p50_ms", answered == 0 ? Double.NaN : LatencyStats.percentile(measured, 0.50));
        figures.put("query_p99_ms", answered == 0 ? Double.NaN : LatencyStats.percentile(measured, 0.99));
        return figures;
    }
}
