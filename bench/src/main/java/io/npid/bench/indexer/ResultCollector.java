package io.npid.bench.indexer;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.event.ClassificationResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes the results topic on its own thread and notes, per query id, the result and the monotonic time it was
 * consumed, so a benchmark can compute latencies against its send times (same JVM, same clock).
 */
public final class ResultCollector implements AutoCloseable {

    /**
     * A consumed result and when it was consumed.
     *
     * @param result the result
     * @param nanos System.nanoTime() when it was consumed
     */
    public record Received(ClassificationResult result, long nanos) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicSpec<String, ClassificationResult> results;
    private final Map<String, Received> received = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Prepares a consumer of the results topic that reads from its end; {@link #start} starts it.
     *
     * @param bootstrap the brokers
     * @param results the results topic
     */
    public ResultCollector(final String bootstrap, final TopicSpec<String, ClassificationResult> results) {
        this.results = results;
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "npid-bench-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "latest",
                        ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                        1,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(results.name()));
        thread = new Thread(this::run, "npid-bench-results");
        thread.setDaemon(true);
    }

    /**
     * Starts consuming and waits until the consumer has its partitions, so no result is missed.
     *
     * @throws InterruptedException when interrupted
     */
    public void start() throws InterruptedException {
        thread.start();
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!assigned && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!assigned) {
            throw new IllegalStateException("The results consumer got no partitions in 60 s");
        }
    }

    private volatile boolean assigned;

    private void run() {
        try {
            while (running) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    final long now = System.nanoTime();
                    final ClassificationResult result =
                            results.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    received.putIfAbsent(result.getQueryId(), new Received(result, now));
                }
                if (!assigned && !consumer.assignment().isEmpty()) {
                    // Position every partition now ("latest"), before the benchmark sends its first query.
                    consumer.assignment().forEach(consumer::position);
                    assigned = true;
                }
            }
        } catch (final WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** The result of a query, or null if none yet. */
    Received get(final String queryId) {
        return received.get(queryId);
    }

    /**
     * Waits for a query's result.
     *
     * @param queryId the query
     * @param timeout how long at most
     * @return the result, or null when none came in time
     * @throws InterruptedException when interrupted
     */
    public Received await(final String queryId, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Received r;
        while ((r = received.get(queryId)) == null && System.nanoTime() < deadline) {
            Thread.sleep(0, 200_000);
        }
        return r;
    }

    int count() {
        return received.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
