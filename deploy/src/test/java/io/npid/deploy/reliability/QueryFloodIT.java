package io.npid.deploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.local.LocalConfig;
import io.npid.deploy.local.LocalDataSet;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.local.TrainingRecorder;
import io.npid.deploy.metrics.MetricsSettings;
import io.npid.deploy.metrics.NpidMetrics;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.event.ResultStatus;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods the running pipeline of {@code npid local} with queries at ten times a sustained rate, between a phase at
 * that rate before and after: no query may be lost and the heap must stay bounded; the latencies of each phase
 * (they rise in the flood and come back after it) and the heap are printed, not asserted.
 *
 * <p>By default each phase (and a warm-up before them) lasts 5 s at 20 queries/s (flood 200/s);
 * {@code -Dnpid.load.full=true} runs the 30 s flood, {@code -Dnpid.load.rate=R} changes the sustained rate.
 */
class QueryFloodIT {
    private static final boolean FULL = Boolean.getBoolean("npid.load.full");
    private static final int RATE = Integer.getInteger("npid.load.rate", 20);
    private static final int PHASE_SECONDS = FULL ? 30 : 5;
    private static final int IMAGES = 300;
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path state;

    /** One query's timings. */
    private record Sent(String phase, long sentNanos) {}

    @Test
    void shouldAnswerEveryQueryOfATenfoldFloodWithBoundedHeap() throws Exception {
        final LocalDataSet data = LocalDataSet.synthetic(IMAGES, 100, 3);
        final LocalConfig config = new LocalConfig(null, true, 1, IMAGES, 100, "small", 16, 2, 0, false, state, 3);
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (NpidMetrics metrics = NpidMetrics.start("local", MetricsSettings.jmxOnly());
                LocalStack stack = LocalStack.start(
                        config,
                        data,
                        state,
                        metrics,
                        new TrainingRecorder(16, IMAGES),
                        Map.of(StreamingTrainerConfig.TRAIN_CONFIG, false))) {
            final Topics topics = stack.topics();
            final Map<String, Object> client = stack.client().with(Map.of());
            try (RawProducer producer = new RawProducer(client);
                    TopicTail<ClassificationResult> results = new TopicTail<>(
                            client,
                            topics.results().name(),
                            topics.results().valueSerde().deserializer(),
                            false)) {
                // Step 1: the bank
                for (int i = 0; i < IMAGES; i++) {
                    producer.sendAsync(
                            topics.images().name(),
                            bytes("img-" + i),
                            topics.images()
                                    .valueSerde()
                                    .serializer()
                                    .serialize(
                                            null,
                                            ImageEvent.newBuilder()
                                                    .setId("img-" + i)
                                                    .setImage(BadInputCorpus.raw(
                                                            data.train().decode(i)))
                                                    .setTimestampMs(0)
                                                    .build()));
                    producer.sendAsync(
                            topics.labels().name(),
                            bytes("img-" + i),
                            topics.labels()
                                    .valueSerde()
                                    .serializer()
                                    .serialize(
                                            null,
                                            LabelEvent.newBuilder()
                                                    .setId("img-" + i)
                                                    .setLabel(data.train().label(i))
                                                    .build()));
                }
                producer.flush();
                final long deadline =
                        System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (stack.trainer().status().rows() < IMAGES && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(IMAGES, stack.trainer().status().rows());
                final long heapBeforeMib = heapAfterGc(memory);

                // Step 2: sustained rate, ten times that, sustained rate again; answers read meanwhile
                final Map<String, Sent> sent = new ConcurrentHashMap<>();
                final AtomicLong maxHeap = new AtomicLong();
                final Thread sender =
                        new Thread(() -> send(producer, topics, data, sent, maxHeap, memory), "flood-sender");
                sender.start();
                final Map<String, double[]> latency = new ConcurrentHashMap<>();
                int duplicates = 0;
                final long total = 13L * RATE * PHASE_SECONDS;
                final long readDeadline = System.nanoTime()
                        + Duration.ofSeconds(3L * PHASE_SECONDS + 180).toNanos();
                while ((sender.isAlive() || latency.size() < sent.size()) && System.nanoTime() < readDeadline) {
                    for (final ConsumerRecord<byte[], ClassificationResult> r : results.poll(Duration.ofMillis(5))) {
                        final long now = System.nanoTime();
                        final ClassificationResult value = r.value();
                        final Sent s = value == null ? null : sent.get(value.getQueryId());
                        if (s == null) {
                            continue;
                        }
                        if (latency.putIfAbsent(value.getQueryId(), new double[] {
                                    (now - s.sentNanos()) / 1e6, value.getStatus() == ResultStatus.OK ? 1 : 0
                                })
                                != null) {
                            duplicates++;
                        }
                    }
                    maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                }
                sender.join();
                final long heapAfterMib = heapAfterGc(memory);

                // Step 3: figures, then the checks: nothing lost, every answer OK, heap back where it was
                final StringBuilder report = new StringBuilder(String.format(
                        Locale.ROOT,
                        "QueryFloodIT: %d queries (after a warm-up: %d/s for %d s, %d/s for %d s, %d/s for %d s), %d "
                                + "features; answered "
                                + "%d, lost %d, duplicates %d; heap after GC %d MiB before, %d MiB after, max used %d MiB%n",
                        sent.size(),
                        RATE,
                        PHASE_SECONDS,
                        10 * RATE,
                        PHASE_SECONDS,
                        RATE,
                        PHASE_SECONDS,
                        IMAGES,
                        latency.size(),
                        sent.size() - latency.size(),
                        duplicates,
                        heapBeforeMib,
                        heapAfterMib,
                        maxHeap.get() / MIB));
                for (final String phase : List.of("before", "flood", "after", "after-last-second")) {
                    final double[] ms = sent.entrySet().stream()
                            .filter(e -> phase.equals(e.getValue().phase())
                                    || phase.equals("after-last-second")
                                            && e.getValue().phase().equals("after-last"))
                            .map(e -> latency.get(e.getKey()))
                            .filter(java.util.Objects::nonNull)
                            .mapToDouble(l -> l[0])
                            .sorted()
                            .toArray();
                    report.append(String.format(
                            Locale.ROOT,
                            "  %-17s latency ms p50 %8.1f  p99 %8.1f  max %8.1f " + "(%d answers)%n",
                            phase,
                            pct(ms, 0.5),
                            pct(ms, 0.99),
                            pct(ms, 1.0),
                            ms.length));
                }
                final Map<String, Long> notOk = new java.util.TreeMap<>();
                latency.forEach((id, l) -> {
                    if (l[1] != 1) {
                        notOk.merge(sent.get(id).phase(), 1L, Long::sum);
                    }
                });
                report.append("  answers not OK per phase: ").append(notOk).append('\n');
                Outcomes.report("query-flood.txt", report.toString());
                assertEquals(total, sent.size(), "queries sent");
                assertEquals(sent.size(), latency.size(), "no query lost");
                // The warm-up lets the indexer take in the bank: its first queries may be answered before every
                // label has reached the shards (NO_LABELLED_ROWS). Once warm, every answer must be OK.
                notOk.remove("warm-up");
                assertTrue(notOk.isEmpty(), "every answer after the warm-up OK, not OK: " + notOk);
                assertTrue(
                        heapAfterMib < heapBeforeMib + 256,
                        "heap bounded: " + heapBeforeMib + " -> " + heapAfterMib + " MiB");
            }
        }
    }

    /** Sends the three phases at their paced rates; the last second of the last phase is tagged apart. */
    private static void send(
            final RawProducer producer,
            final Topics topics,
            final LocalDataSet data,
            final Map<String, Sent> sent,
            final AtomicLong maxHeap,
            final MemoryMXBean memory) {
        int n = 0;
        for (final String phase : List.of("warm-up", "before", "flood", "after")) {
            final int rate = phase.equals("flood") ? 10 * RATE : RATE;
            final int count = rate * PHASE_SECONDS;
            final long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                final long due = start + (long) (i * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                final String id = "flood-" + n;
                final String tag = phase.equals("after") && i >= count - rate ? "after-last" : phase;
                sent.put(id, new Sent(tag, System.nanoTime()));
                producer.sendAsync(
                        topics.queries().name(),
                        bytes(id),
                        topics.queries()
                                .valueSerde()
                                .serializer()
                                .serialize(
                                        null,
                                        QueryEvent.newBuilder()
                                                .setQueryId(id)
                                                .setK(20)
                                                .setImage(BadInputCorpus.raw(data.test()
                                                        .decode(n % data.test().size())))
                                                .setTimestampMs(System.currentTimeMillis())
                                                .build()));
                n++;
                if (i % 50 == 0) {
                    maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                }
            }
        }
        producer.flush();
    }

    private static long heapAfterGc(final MemoryMXBean memory) throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        return memory.getHeapMemoryUsage().getUsed() / MIB;
    }

    private static double pct(final double[] sorted, final double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        final int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
