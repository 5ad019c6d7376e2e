package io.npid.trainer.stream;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * One ingest thread: polls its share of the images and labels partitions and ingests every poll ({@link Ingestor})
 * while the training thread steps, so a new image waits for its own embedding and commit, never for training.
 *
 * <p>It owns its consumer and its encoder copy. A failure stops the thread and is kept for the training thread,
 * which stops the trainer with it. Above the thread's capacity the records wait in Kafka: {@link #lag()} grows.
 */
final class IngestWorker implements AutoCloseable {
    /**
     * How long the input must stay at the end of its topics to count as caught up: a producer that pauses between
     * sends must not make a bounded run stop after epochs over a fraction of its images.
     */
    static final long QUIET_MS = 2_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Ingestor ingestor;
    private final IngestEncoder encoder;
    private final Duration pollTimeout;
    private final LongSupplier clockMs;
    private final Thread thread;
    private volatile boolean stopping;
    private boolean started;
    private volatile Throwable failure;
    private volatile long lastRecordMs;
    private volatile long lag = -1;

    IngestWorker(
            final String name,
            final KafkaConsumer<byte[], byte[]> consumer,
            final Ingestor ingestor,
            final IngestEncoder encoder,
            final long pollTimeoutMs,
            final LongSupplier clockMs) {
        this.consumer = consumer;
        this.ingestor = ingestor;
        this.encoder = encoder;
        this.pollTimeout = Duration.ofMillis(pollTimeoutMs);
        this.clockMs = clockMs;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts the thread; the consumer must be assigned and positioned. */
    void start() {
        lastRecordMs = clockMs.getAsLong();
        started = true;
        thread.start();
    }

    private void run() {
        try {
            while (!stopping) {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
                if (!records.isEmpty()) {
                    // not caught up from now on: the training thread must not see a quiet input while this ingests
                    lastRecordMs = clockMs.getAsLong();
                    ingestor.ingest(records);
                    lastRecordMs = clockMs.getAsLong();
                }
                lag = currentLag();
            }
        } catch (final WakeupException e) {
            if (!stopping) {
                failure = e;
            }
        } catch (final Throwable e) {
            failure = e;
        } finally {
            encoder.close();
        }
    }

    /** Records behind the end of this thread's partitions as of its last fetch (no request), -1 when unknown. */
    private long currentLag() {
        long total = 0;
        for (final TopicPartition partition : consumer.assignment()) {
            final OptionalLong partitionLag = consumer.currentLag(partition);
            if (partitionLag.isEmpty()) {
                return -1;
            }
            total += partitionLag.getAsLong();
        }
        return total;
    }

    /**
     * Tells whether this thread's input is caught up: nothing left to read and nothing read for {@link #QUIET_MS}.
     *
     * @param nowMs the current time
     * @return whether it is caught up
     */
    boolean caughtUp(final long nowMs) {
        return lag == 0 && nowMs - lastRecordMs >= QUIET_MS;
    }

    /** @return records behind the end of this thread's partitions as of its last fetch, -1 when unknown */
    long lag() {
        return lag;
    }

    /** @return what stopped the thread, or null while it runs (or after a clean stop) */
    Throwable failure() {
        return failure;
    }

    /** Stops the thread and waits for it (its ingest in progress completes or, on a kill, is re-read). */
    @Override
    public void close() {
        stopping = true;
        if (!started) {
            encoder.close();
            return;
        }
        consumer.wakeup();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (final InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
