package io.npid.trainer.stream;

import io.npid.schemas.Topics;
import io.npid.store.FeatureStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * The ingest side of the trainer as the training thread sees it: the {@link IngestWorker}s, each on its share of
 * the images and labels partitions, the queue their results come back through, the lock their commits and the
 * checkpoint share, and the weights handed to them.
 *
 * <p>The training thread drains the queue every iteration and at every checkpoint (under the lock, so that the
 * snapshot's rows and offsets are those it has taken over).
 */
final class IngestThreads implements AutoCloseable {
    /** Put in the hand-over queue to end a wait for ingest results at once (a stop request). */
    private static final Ingestor.Result WAKE =
            new Ingestor.Result(0, 0, new int[0], new float[0], 0, new int[0], List.of());

    private final Object commitLock = new Object();
    private final LinkedBlockingQueue<Ingestor.Result> handoff = new LinkedBlockingQueue<>();
    private final List<IngestWorker> workers = new ArrayList<>();
    private final LatestWeights weights;
    private final LongSupplier clock;

    IngestThreads(final LatestWeights weights, final LongSupplier clock) {
        this.weights = weights;
        this.clock = clock;
    }

    /**
     * Starts the ingest threads, positioned at the offsets the store committed (the beginning for a partition
     * never consumed).
     *
     * @param config the settings
     * @param store the feature store
     * @param inputChannels the model's input channels
     * @param deadLetters the dead-letter sink
     * @param producer the shared producer of features
     * @param keep takes ownership of the consumers
     */
    void start(
            final StreamingTrainerConfig config,
            final FeatureStore store,
            final int inputChannels,
            final DeadLetterSink deadLetters,
            final KafkaProducer<byte[], byte[]> producer,
            final Consumer<AutoCloseable> keep) {
        final Topics topics = config.topics();
        final KafkaConsumer<byte[], byte[]> first = TrainerResources.consumer(config, 0);
        keep.accept(first);
        final List<TopicPartition> partitions = TrainerResources.partitions(
                first, topics.images().name(), topics.labels().name());
        final int threads = Math.min(config.ingestThreads(), partitions.size());
        final InputRecordValidator validator = new InputRecordValidator(config.imageLimits());
        for (int i = 0; i < threads; i++) {
            final KafkaConsumer<byte[], byte[]> consumer = i == 0 ? first : TrainerResources.consumer(config, i);
            if (i > 0) {
                keep.accept(consumer);
            }
            final List<TopicPartition> share = new ArrayList<>();
            for (int p = i; p < partitions.size(); p += threads) {
                share.add(partitions.get(p));
            }
            assignAndSeek(consumer, share, store.offsets());
            final IngestEncoder encoder = new IngestEncoder(weights, config.embedBatchSize());
            final PollReader reader = new PollReader(
                    validator, deadLetters, topics.images().name(), inputChannels, config.storedImageSide());
            final Ingestor ingestor = new Ingestor(
                    store,
                    reader,
                    encoder,
                    new Ingestor.Output(
                            commitLock,
                            handoff::add,
                            new FeaturePublisher(producer, topics.features(), store, clock),
                            clock));
            final IngestWorker worker =
                    new IngestWorker("npid-ingest-" + i, consumer, ingestor, encoder, config.pollTimeoutMs(), clock);
            keep.accept(worker);
            workers.add(worker);
        }
        workers.forEach(IngestWorker::start);
    }

    private static void assignAndSeek(
            final KafkaConsumer<byte[], byte[]> consumer,
            final List<TopicPartition> partitions,
            final Map<TopicPartition, Long> stored) {
        consumer.assign(partitions);
        final List<TopicPartition> fresh = new ArrayList<>();
        for (final TopicPartition partition : partitions) {
            final Long next = stored.get(partition);
            if (next == null) {
                fresh.add(partition);
            } else {
                consumer.seek(partition, next);
            }
        }
        if (!fresh.isEmpty()) {
            // an empty collection would mean every assigned partition: a restart would read everything again
            consumer.seekToBeginning(fresh);
        }
    }

    /** @return the lock of the ingest commits, which a checkpoint holds while it snapshots */
    Object commitLock() {
        return commitLock;
    }

    /**
     * Hands the results that wait to the training thread, first waiting up to {@code waitMs} for one.
     *
     * @param waitMs longest wait, 0 for none
     * @param takeOver gets each result, in commit order
     * @throws InterruptedException when interrupted while waiting
     */
    void drain(final long waitMs, final Consumer<Ingestor.Result> takeOver) throws InterruptedException {
        Ingestor.Result result = waitMs > 0 ? handoff.poll(waitMs, TimeUnit.MILLISECONDS) : handoff.poll();
        while (result != null) {
            if (result != WAKE) {
                takeOver.accept(result);
            }
            result = handoff.poll();
        }
    }

    /** Stops the trainer with what stopped an ingest thread. */
    void check() {
        for (final IngestWorker worker : workers) {
            final Throwable failure = worker.failure();
            if (failure != null) {
                throw new IllegalStateException("Ingest stopped: " + failure, failure);
            }
        }
    }

    /** @return whether every ingest thread is caught up and the training thread has taken over all they stored */
    boolean caughtUp() {
        final long now = clock.getAsLong();
        for (final IngestWorker worker : workers) {
            if (!worker.caughtUp(now)) {
                return false;
            }
        }
        return handoff.isEmpty();
    }

    /** @return records behind the end of the input as of the threads' last fetches, or -1 when unknown */
    long lag() {
        long total = 0;
        for (final IngestWorker worker : workers) {
            final long workerLag = worker.lag();
            if (workerLag < 0) {
                return -1;
            }
            total += workerLag;
        }
        return total;
    }

    /**
     * Hands the training thread's weights to the ingest threads (they copy them before their next ingest).
     *
     * @param weights the snapshot
     */
    void handWeights(final LatestWeights.Snapshot weights) {
        this.weights.publish(weights);
    }

    /** Makes a wait for ingest results return at once (thread-safe). */
    void wakeup() {
        handoff.add(WAKE);
    }

    /** Stops the ingest threads (each finishes or abandons its ingest in progress). */
    @Override
    public void close() {
        workers.forEach(IngestWorker::close);
    }
}
