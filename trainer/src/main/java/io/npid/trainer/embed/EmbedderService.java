package io.npid.trainer.embed;

import io.npid.schemas.DeadLetters;
import io.npid.schemas.ResultReason;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import io.npid.schemas.kafka.ClientDefaults;
import io.npid.schemas.kafka.TopicAdmin;
import io.npid.trainer.stream.DeadLetterSink;
import io.npid.trainer.stream.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query embedder: consumes {@code queries} as one consumer group, embeds each image with the latest published
 * model and produces a QueryVector to {@code query-vectors} for the indexer.
 *
 * <p>Models: a follower thread reads the compacted {@code checkpoints} topic from the beginning and loads every
 * newer version of {@code npid.model.name}; the query thread swaps it in between two polls, without a restart.
 * Until a first model arrives the embedder does not consume (queries wait in the topic and are answered once a
 * model is there); with {@code npid.embedder.no.model.timeout.ms} &gt; 0 it instead starts consuming after that
 * time and answers each query with an ERROR result ("no-model") until a model arrives.
 *
 * <p>Bad queries (undecodable, wrong schema, too large, bad image, k &lt; 1, no key) get BOTH a ClassificationResult
 * with status ERROR and the reason, so the client is answered, AND a dead letter; the embedder goes on. Delivery is
 * at-least-once: the offsets of a poll are committed only after all its answers and dead letters are acknowledged,
 * so a crash re-answers at most the last poll (duplicates carry the same queryId). Several instances with the same
 * {@code npid.embedder.group.id} share the partitions of {@code queries}.
 */
public final class EmbedderService implements AutoCloseable {
    /** Reason of the ERROR answer to a query that arrives when no model was ever loaded (after the timeout). */
    public static final String NO_MODEL = ResultReason.NO_MODEL.code();

    private static final Logger LOG = LoggerFactory.getLogger(EmbedderService.class);

    private final EmbedderConfig config;
    private final EmbedderListener listener;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DeadLetterSink deadLetters;
    private final CheckpointFollower follower;
    private final QueryValidator validator;
    private final QueryAnswers answers;
    private final Thread thread;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicLong embedded = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean stopRequested;
    private volatile LoadedModel model;

    private EmbedderService(final EmbedderConfig config, final EmbedderListener listener) {
        this.config = config;
        this.listener = new GuardedEmbedderListener(listener);
        final Topics topics = config.topics();
        this.producer = new KafkaProducer<>(config.clients()
                .producer(
                        ClientDefaults.layered(
                                ClientDefaults.lowLatencyProducer(),
                                KafkaClientSettings.ORDERED_PRODUCER,
                                Map.of(ProducerConfig.CLIENT_ID_CONFIG, "npid-embedder")),
                        Map.of(
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                ByteArraySerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                ByteArraySerializer.class)));
        this.deadLetters = new DeadLetterSink(producer, topics.deadLetters(), new DeadLetters("embedder"));
        final Map<String, Object> owned = new HashMap<>();
        owned.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        owned.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        owned.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        owned.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(config.clients()
                .consumer(
                        ClientDefaults.layered(
                                ClientDefaults.lowLatencyConsumer(),
                                Map.of(
                                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                        config.maxQueriesPerPoll(),
                                        ConsumerConfig.CLIENT_ID_CONFIG,
                                        "npid-embedder")),
                        owned));
        this.follower = new CheckpointFollower(config, deadLetters, this.listener);
        this.validator = new QueryValidator(config.imageLimits(), config.defaultK());
        this.answers = new QueryAnswers(producer, topics, System::currentTimeMillis);
        this.thread = new Thread(this::run, "npid-embedder");
    }

    /**
     * Starts an embedder: creates missing topics (when allowed), then the checkpoint follower and the query thread.
     *
     * @param config the validated configuration
     * @param listener receives model loads, answers and rejections (may be null)
     * @return the running embedder (it may still be waiting for its first model)
     * @throws RuntimeException when the topics cannot be created or verified, or a client cannot be built
     */
    public static EmbedderService start(final EmbedderConfig config, final EmbedderListener listener) {
        if (config.createTopics()) {
            final Topics topics = config.topics();
            final List<TopicSpec<?, ?>> specs = List.of(
                    topics.queries(),
                    topics.queryVectors(),
                    topics.results(),
                    topics.checkpoints(),
                    topics.deadLetters());
            try (Admin admin = Admin.create(config.clients().admin(Map.of()))) {
                new TopicAdmin(admin, TopicAdmin.DEFAULT_TIMEOUT).ensure(specs);
            }
        }
        final EmbedderService service = new EmbedderService(config, listener);
        service.follower.start();
        service.thread.start();
        return service;
    }

    private void run() {
        try {
            if (!waitForModel()) {
                return;
            }
            consumer.subscribe(List.of(config.topics().queries().name()));
            while (!stopRequested) {
                swapModel();
                final ConsumerRecords<byte[], byte[]> records =
                        consumer.poll(Duration.ofMillis(config.pollTimeoutMs()));
                if (!records.isEmpty()) {
                    answer(records);
                }
            }
        } catch (final WakeupException | InterruptException e) {
            LOG.debug("Embedder stopping");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final Throwable error) {
            LOG.error("The embedder stopped on an error", error);
            listener.onFailure(error);
            stopped.completeExceptionally(error);
        } finally {
            consumer.close();
            final LoadedModel current = model;
            model = null;
            if (current != null) {
                current.close();
            }
            stopped.complete(null);
        }
    }

    /** Waits for a first model; returns false when asked to stop meanwhile. */
    private boolean waitForModel() throws InterruptedException {
        final long started = System.currentTimeMillis();
        while (!stopRequested) {
            if (follower.awaitFirst(100)) {
                swapModel();
                return true;
            }
            if (config.noModelTimeoutMs() > 0 && System.currentTimeMillis() - started >= config.noModelTimeoutMs()) {
                LOG.warn(
                        "No model {} after {} ms; answering queries with ERROR ({}) until one arrives",
                        config.modelName(),
                        config.noModelTimeoutMs(),
                        NO_MODEL);
                return true;
            }
        }
        return false;
    }

    private void swapModel() {
        final LoadedModel newer = follower.takeNewer();
        if (newer != null) {
            final LoadedModel old = model;
            model = newer;
            if (old != null) {
                old.close();
            }
        }
    }

    private void answer(final ConsumerRecords<byte[], byte[]> records) {
        final QueryBatch batch =
                new QueryBatch(validator, answers, deadLetters, listener, model, config.maxBatchSize());
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            batch.add(record);
        }
        batch.embedAndSend();
        answers.flush();
        deadLetters.flush();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final TopicPartition partition : records.partitions()) {
            final List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            offsets.put(
                    partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
        } catch (final CommitFailedException | RebalanceInProgressException e) {
            // The partitions moved to another instance, which will answer these queries again (at-least-once).
            LOG.warn(
                    "Offset commit failed after a rebalance; {} queries may be answered twice: {}",
                    records.count(),
                    e.toString());
        }
        embedded.addAndGet(batch.vectors());
        errors.addAndGet(batch.errors());
        listener.onAnswered(batch.vectors(), batch.errors(), batch.embedNanos());
    }

    /**
     * Returns the current figures.
     *
     * @return a snapshot (thread-safe)
     */
    public EmbedderStatus status() {
        final LoadedModel current = model;
        return new EmbedderStatus(
                current == null ? follower.loadedVersion() : current.version(),
                embedded.get(),
                errors.get(),
                deadLetters.total(),
                thread.isAlive());
    }

    /**
     * Returns the dead letters sent since start, per reason.
     *
     * @return reason code to count
     */
    public Map<String, Long> rejectedByReason() {
        return deadLetters.countsByReason();
    }

    /**
     * Completes when the query thread has stopped.
     *
     * @return a future, exceptional when the embedder stopped on an error
     */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Stops the query thread and the follower, and closes the clients and the model. */
    @Override
    public void close() {
        stopRequested = true;
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        follower.close();
        producer.close(Duration.ofSeconds(10));
    }
}
