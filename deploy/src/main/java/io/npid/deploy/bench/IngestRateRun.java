package io.npid.deploy.bench;

import io.npid.deploy.client.DatasetIngestor;
import io.npid.deploy.local.LocalImages;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.process.Progress;
import io.npid.deploy.report.Percentiles;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One rate of {@code npid bench ingest}: sends new images at a fixed rate for a while and times each from its send
 * until its first event on the features topic, sampling the trainer's lag and steps meanwhile.
 */
final class IngestRateRun {
    /** How long after the last send the images still missing are waited for. */
    private static final long GRACE_NANOS = Duration.ofSeconds(30).toNanos();

    private static final long SAMPLE_NANOS = Duration.ofMillis(100).toNanos();

    private final LocalStack stack;
    private final LocalImages images;
    private final PrintWriter err;
    private int runs;

    /**
     * The figures of one rate.
     *
     * @param offeredPerSecond images sent per second (below the rate when the sender could not keep up)
     * @param sent images sent
     * @param published images whose feature was seen
     * @param p50Ms median send-to-feature time
     * @param p99Ms 99th percentile
     * @param maxMs the longest
     * @param trainImagesPerSecond training images per second while the images were sent
     * @param maxLag the trainer's largest input lag seen (records)
     * @param publishedPerSecond images published per second from the first send to the last publication (ingest's
     *     capacity while training, when the offered rate is above it)
     */
    record Figures(
            double offeredPerSecond,
            int sent,
            int published,
            double p50Ms,
            double p99Ms,
            double maxMs,
            double trainImagesPerSecond,
            long maxLag,
            double publishedPerSecond) {}

    IngestRateRun(final LocalStack stack, final LocalImages images, final PrintWriter err) {
        this.stack = stack;
        this.images = images;
        this.err = err;
    }

    /**
     * Offers new images at a rate and times them.
     *
     * @param rate images per second
     * @param seconds how long
     * @return the figures
     * @throws InterruptedException when interrupted
     */
    Figures run(final int rate, final int seconds) throws InterruptedException {
        runs++;
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final Map<String, Double> latencyMs = new ConcurrentHashMap<>();
        final CountDownLatch watching = new CountDownLatch(1);
        final AtomicBoolean done = new AtomicBoolean();
        final Thread watcher = new Thread(() -> watch(sentAt, latencyMs, watching, done), "bench-ingest-features");
        watcher.setDaemon(true);
        watcher.start();
        if (!watching.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The features topic could not be read within 60 s");
        }
        final int count = rate * seconds;
        final Progress progress = new Progress(err, "rate " + rate, "images", count);
        long maxLag = 0;
        long nextSample = 0;
        final long firstStep = stack.trainer().status().step();
        final long t0 = System.nanoTime();
        final long sendNanos;
        final long steps;
        try (DatasetIngestor ingestor = new DatasetIngestor(stack.client(), stack.topics())) {
            final DatasetIngestor.Run send = ingestor.start(
                    false,
                    "bench-ingest",
                    new Progress(new PrintWriter(Writer.nullWriter()), "", "", count),
                    skip -> {});
            for (int i = 0; i < count; i++) {
                final long due = t0 + (long) (i * 1e9 / rate);
                long now = System.nanoTime();
                while (now < due) {
                    LockSupport.parkNanos(due - now);
                    now = System.nanoTime();
                }
                if (now >= nextSample) {
                    maxLag = Math.max(maxLag, stack.trainer().status().lag());
                    nextSample = now + SAMPLE_NANOS;
                }
                final String id = String.format(Locale.ROOT, "new-%d-%d-%06d", runs, rate, i);
                sentAt.put(id, System.nanoTime());
                send.send(images.input(i % images.size()).withId(id));
                progress.advance(1);
            }
            send.finish();
            sendNanos = System.nanoTime() - t0;
            steps = stack.trainer().status().step() - firstStep;
        }
        final long giveUp = System.nanoTime() + GRACE_NANOS;
        while (latencyMs.size() < count && System.nanoTime() < giveUp) {
            maxLag = Math.max(maxLag, stack.trainer().status().lag());
            Thread.sleep(100);
        }
        done.set(true);
        watcher.join(10_000);
        final double[] times =
                latencyMs.values().stream().mapToDouble(Double::doubleValue).toArray();
        final double sendSeconds = sendNanos / 1e9;
        double lastPublishedSeconds = 0;
        for (final Map.Entry<String, Double> timed : latencyMs.entrySet()) {
            lastPublishedSeconds =
                    Math.max(lastPublishedSeconds, (sentAt.get(timed.getKey()) - t0) / 1e9 + timed.getValue() / 1e3);
        }
        return new Figures(
                count / sendSeconds,
                count,
                times.length,
                Percentiles.of(times, 50),
                Percentiles.of(times, 99),
                Percentiles.of(times, 100),
                steps * stack.batchSize() / sendSeconds,
                maxLag,
                times.length / lastPublishedSeconds);
    }

    /** Reads the features topic from its end and notes the first event of each image sent. */
    private void watch(
            final Map<String, Long> sentAt,
            final Map<String, Double> latencyMs,
            final CountDownLatch watching,
            final AtomicBoolean done) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.bootstrapServers(),
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "npid-bench-ingest",
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        10),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final String topic = stack.topics().features().name();
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
            watching.countDown();
            while (!done.get()) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    final long now = System.nanoTime();
                    final Long sent = sentAt.get(new String(record.key(), StandardCharsets.UTF_8));
                    if (sent != null) {
                        latencyMs.putIfAbsent(new String(record.key(), StandardCharsets.UTF_8), (now - sent) / 1e6);
                    }
                }
            }
        }
    }
}
