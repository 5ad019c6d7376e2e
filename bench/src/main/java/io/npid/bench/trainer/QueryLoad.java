package io.npid.bench.trainer;

import io.npid.bench.report.LatencyStats;
import io.npid.schemas.Topics;
import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.trainer.data.DecodedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The client side of the embedder benchmark: sends queries and times the arrival of their QueryVectors.
 *
 * <p>A reader thread follows {@code query-vectors} from its end and stamps each query id with its arrival time; both
 * clocks are this JVM's {@link System#nanoTime()}, so a latency is client send to client receive, Kafka hops
 * included.
 */
final class QueryLoad implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(180);

    private final Topics topics;
    private final List<DecodedImage> images;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;
    private int next;

    /**
     * Latencies of a paced phase.
     *
     * @param latenciesMs sorted latencies in milliseconds
     * @param rate queries per second actually sent
     */
    record Paced(double[] latenciesMs, double rate) {
        double percentile(final double p) {
            return LatencyStats.percentile(latenciesMs, p / 100.0);
        }
    }

    QueryLoad(final String bootstrap, final Topics topics, final List<DecodedImage> images) {
        this.topics = topics;
        this.images = images;
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        final List<TopicPartition> partitions = consumer
                .partitionsFor(topics.queryVectors().name())
                .stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.reader = new Thread(this::read, "npid-bench-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    arrived.putIfAbsent(new String(record.key(), StandardCharsets.UTF_8), System.nanoTime());
                }
            }
        } finally {
            consumer.close();
        }
    }

    /** Sends n queries at once and returns queries/s from the first send to the last arrival. */
    double burst(final int n) throws InterruptedException {
        final String[] ids = new String[n];
        final byte[][] payloads = new byte[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = "burst-" + next;
            payloads[i] = payload(ids[i], next++);
        }
        final long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            send(ids[i], payloads[i]);
        }
        final long last = awaitAll(ids);
        return n / ((last - start) / 1e9);
    }

    /** Sends n queries at a steady rate and returns their latencies. */
    Paced paced(final int n, final double rate) throws InterruptedException {
        final String[] ids = new String[n];
        final long intervalNanos = (long) (1e9 / rate);
        final long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ids[i] = "paced-" + next;
            final byte[] payload = payload(ids[i], next++);
            final long due = start + i * intervalNanos;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            send(ids[i], payload);
        }
        final double achieved = n / ((System.nanoTime() - start) / 1e9);
        awaitAll(ids);
        final double[] latencies = new double[n];
        for (int i = 0; i < n; i++) {
            latencies[i] = (arrived.get(ids[i]) - sent.get(ids[i])) / 1e6;
        }
        Arrays.sort(latencies);
        return new Paced(latencies, achieved);
    }

    private byte[] payload(final String id, final int index) {
        final DecodedImage image = images.get(index % images.size());
        return EventSerde.of(QueryEvent.class)
                .encode(QueryEvent.newBuilder()
                        .setQueryId(id)
                        .setImage(Image.newBuilder()
                                .setEncoding(ImageEncoding.RAW)
                                .setData(ByteBuffer.wrap(image.pixels()))
                                .setWidth(image.width())
                                .setHeight(image.height())
                                .setChannels(image.channels())
                                .build())
                        .setTimestampMs(System.currentTimeMillis())
                        .build());
    }

    private void send(final String id, final byte[] payload) {
        sent.put(id, System.nanoTime());
        producer.send(new ProducerRecord<>(topics.queries().name(), id.getBytes(StandardCharsets.UTF_8), payload));
    }

    /** Waits until every id arrived and returns the latest arrival time. */
    private long awaitAll(final String[] ids) throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        long last = 0;
        for (final String id : ids) {
            Long at;
            while ((at = arrived.get(id)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Query " + id + " got no QueryVector within " + WAIT);
                }
                Thread.sleep(5);
            }
            last = Math.max(last, at);
        }
        return last;
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
