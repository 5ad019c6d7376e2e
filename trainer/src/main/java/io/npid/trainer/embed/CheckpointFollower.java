package io.npid.trainer.embed;

import static io.npid.schemas.DeadLetterReason.UNLOADABLE_CHECKPOINT;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.schemas.kafka.ClientDefaults;
import io.npid.schemas.serde.SchemaDecodeException;
import io.npid.trainer.model.EncoderSpec;
import io.npid.trainer.stream.DeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code checkpoints} topic from its beginning and loads every newer model version of one
 * model name, on its own thread, for the query thread to swap in without a restart.
 *
 * <p>The newest record of a poll wins (older versions read on the way are never loaded). A loaded model waits in a
 * one-slot hand-over until the query thread takes it; a newer one replaces (and closes) a model not yet taken. A
 * record that cannot be decoded or loaded goes to dead-letters and the current model keeps serving.
 */
final class CheckpointFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFollower.class);

    private final EmbedderConfig config;
    private final TopicSpec<String, ModelCheckpoint> topic;
    private final DeadLetterSink deadLetters;
    private final EmbedderListener listener;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicReference<LoadedModel> handOver = new AtomicReference<>();
    private final CountDownLatch first = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile long loadedVersion = -1;

    CheckpointFollower(final EmbedderConfig config, final DeadLetterSink deadLetters, final EmbedderListener listener) {
        this.config = config;
        this.topic = config.topics().checkpoints();
        this.deadLetters = deadLetters;
        this.listener = listener;
        final Map<String, Object> defaults = ClientDefaults.layered(
                ClientDefaults.checkpointConsumer(),
                Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "npid-embedder-checkpoints"));
        final Map<String, Object> owned = Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        final Map<String, Object> settings = config.clients().consumer(defaults, owned);
        // No group: every instance reads the whole compacted topic from the beginning, whatever group.id says.
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(settings);
        this.thread = new Thread(this::run, "npid-embedder-checkpoints");
        thread.setDaemon(true);
    }

    void start() {
        started = true;
        thread.start();
    }

    /** Takes the newest loaded model not yet taken, or null; the caller owns (and closes) it. */
    LoadedModel takeNewer() {
        return handOver.getAndSet(null);
    }

    /** Waits until a first model was loaded; returns false on timeout. */
    boolean awaitFirst(final long timeoutMs) throws InterruptedException {
        return first.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** @return the newest version loaded so far, -1 before the first */
    long loadedVersion() {
        return loadedVersion;
    }

    private void run() {
        try {
            final List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                follow(consumer.poll(Duration.ofMillis(500)));
            }
        } catch (final WakeupException e) {
            // close() was called
        } catch (final RuntimeException e) {
            LOG.error("The checkpoint follower stopped; the embedder keeps serving model v{}", loadedVersion, e);
        } finally {
            consumer.close();
        }
    }

    private void follow(final ConsumerRecords<byte[], byte[]> records) {
        ConsumerRecord<byte[], byte[]> newestRecord = null;
        ModelCheckpoint newest = null;
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            if (record.key() == null
                    || record.value() == null
                    || !config.modelName().equals(new String(record.key(), StandardCharsets.UTF_8))) {
                continue;
            }
            final ModelCheckpoint checkpoint;
            try {
                checkpoint = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
            } catch (final SchemaDecodeException e) {
                reject(record, e.getReason().code(), e.getMessage());
                continue;
            }
            final long best = Math.max(loadedVersion, newest == null ? -1 : newest.getVersion());
            if (checkpoint.getVersion() > best) {
                newest = checkpoint;
                newestRecord = record;
            }
        }
        if (newest != null) {
            load(newestRecord, newest);
        }
        deadLetters.flush();
    }

    private void load(final ConsumerRecord<byte[], byte[]> record, final ModelCheckpoint checkpoint) {
        final LoadedModel model;
        try {
            model = new LoadedModel(checkpoint.getVersion(), checkpoint.getStep(), Encoder.fromCheckpoint(checkpoint));
        } catch (final Exception e) {
            reject(
                    record,
                    UNLOADABLE_CHECKPOINT.code(),
                    "Model " + config.modelName() + " version " + checkpoint.getVersion() + " cannot be loaded: "
                            + e.getMessage());
            return;
        }
        final LoadedModel replaced = handOver.getAndSet(model);
        if (replaced != null) {
            replaced.close();
        }
        loadedVersion = model.version();
        final EncoderSpec spec = model.encoder().spec();
        LOG.info(
                "Loaded model {} v{} (step {}): {}, input {}x{}x{}, {}-d embeddings",
                config.modelName(),
                model.version(),
                model.step(),
                spec.backbone(),
                spec.channels(),
                spec.imageSize(),
                spec.imageSize(),
                spec.lowDim());
        listener.onModelLoaded(model.version(), model.step());
        first.countDown();
    }

    private void reject(final ConsumerRecord<byte[], byte[]> record, final String reason, final String detail) {
        LOG.warn(
                "Checkpoint record at {}-{}@{} rejected ({}): {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason,
                detail);
        deadLetters.send(record, reason, detail);
        listener.onRejected(record.topic(), reason);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (started) {
            try {
                thread.join(30_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close();
        }
        final LoadedModel pending = handOver.getAndSet(null);
        if (pending != null) {
            pending.close();
        }
    }
}
