package io.npid.deploy.process;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.npid.indexer.IndexerApp;
import io.npid.indexer.IndexerConfig;
import io.npid.indexer.IndexerTopology;
import io.npid.indexer.TrainerAgreement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer's KafkaStreams lifecycle: check its topics, build it with the indexer module's {@link IndexerApp},
 * start it, follow its state, publish its metrics, and close it.
 *
 * <p>{@link #start} returns once the application is RUNNING (its first rebalance done) and throws what stopped it
 * otherwise. An uncaught error in a stream thread shuts the client down (the indexer module routes bad records to
 * dead-letters, so such an error is a bug or a lost broker); {@link #stopped()} then completes exceptionally.
 */
public final class IndexerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexerProcess.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private IndexerProcess(final IndexerConfig config, final MeterRegistry registry) {
        streams = IndexerApp.create(config);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("The indexer stopped on an error in a stream thread", error);
            failure.compareAndSet(null, error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.complete(null);
            } else if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                final Throwable error = failure.get();
                final IllegalStateException stop = new IllegalStateException(
                        "the indexer stopped (" + now + ")" + (error == null ? "" : ": " + error), error);
                running.completeExceptionally(stop);
                if (error == null && now == KafkaStreams.State.NOT_RUNNING) {
                    stopped.complete(null);
                } else {
                    stopped.completeExceptionally(stop);
                }
            }
        });
        metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
    }

    /**
     * Starts the indexer and waits until it runs.
     *
     * @param config the validated configuration
     * @param registry where Kafka Streams' metrics go
     * @param timeout how long to wait for RUNNING
     * @return the running indexer
     * @throws KafkaUnavailableException when it did not run in time
     * @throws IllegalStateException when it stopped while starting
     * @throws org.apache.kafka.common.config.ConfigException when a setting it shares with the trainer differs
     *     from the trainer's latest checkpoint
     */
    public static IndexerProcess start(
            final IndexerConfig config, final MeterRegistry registry, final Duration timeout) {
        try (Admin admin = Admin.create(IndexerTopology.streamsProperties(config))) {
            // missing or mismatched topics fail here with the list of differences, not as a Streams error later
            IndexerApp.verifyTopics(admin, config.topics(), timeout);
        }
        // a trainer with another npid.low.dim fails the start, naming both values, not every feature later
        TrainerAgreement.verify(config, timeout);
        final IndexerProcess process = new IndexerProcess(config, registry);
        process.streams.start();
        try {
            process.running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return process;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.close();
            throw new IllegalStateException("interrupted while the indexer started", e);
        } catch (TimeoutException e) {
            process.close();
            throw new KafkaUnavailableException(
                    String.valueOf(config.clientProperties().get("bootstrap.servers")),
                    new IllegalStateException("the indexer was not RUNNING after " + timeout.toSeconds() + " s"));
        } catch (ExecutionException e) {
            process.close();
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** @return whether the indexer serves: RUNNING, or REBALANCING (which it does after every membership change) */
    public boolean healthy() {
        final KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    }

    /** @return the current Streams state */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** @return completes when the indexer has stopped; exceptionally when it stopped on an error */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    @Override
    public void close() {
        streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT));
        metrics.close();
        stopped.complete(null);
    }
}
