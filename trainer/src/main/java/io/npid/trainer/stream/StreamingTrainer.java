package io.npid.trainer.stream;

import io.npid.trainer.train.TrainingResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming trainer process: ingest threads that store the {@code images} and {@code labels} topics exactly once
 * in the feature store and publish every new image's features at once, beside one training thread that owns the
 * learner, trains, publishes the trained features and takes checkpoints.
 *
 * <p>Lifecycle: {@link #start} opens everything on the training thread and returns once the trainer is consuming
 * (or throws what stopped it from starting); {@link #close} asks the thread to stop, waits while it takes a final
 * checkpoint and publishes what is pending, and releases everything. Interrupting the training thread stops it
 * the same way. A failure on the thread stops the trainer, is passed to {@link TrainerListener#onFailure} and
 * completes {@link #trainingComplete()} and {@link #stopped()} exceptionally.
 *
 * <p>Guarantees: every accepted image is stored with the offsets that consumed it in one write, so after any crash
 * (kill -9 included) the bank has exactly one row per distinct image id acknowledged by the broker; a restarted
 * trainer continues from its latest checkpoint (step and epoch continue, never from zero) and from the stored
 * offsets. See {@link TrainerResources} for the restart rule.
 *
 * <pre>{@code
 * try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), listener)) {
 *     trainer.trainingComplete().get();   // with npid.trainer.epochs > 0
 * }
 * }</pre>
 */
public final class StreamingTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingTrainer.class);

    private final StreamingTrainerConfig config;
    private final TrainerListener listener;
    private final Thread thread;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<TrainerStatus> complete = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final CompletableFuture<TrainingResult> result = new CompletableFuture<>();
    private volatile TrainerLoop loop;
    private volatile boolean stopRequested;

    private StreamingTrainer(final StreamingTrainerConfig config, final TrainerListener listener) {
        this.config = config;
        this.listener = new GuardedListener(listener);
        this.thread = new Thread(this::run, "npid-trainer");
    }

    /**
     * Starts a trainer and waits until it consumes.
     *
     * @param config the validated configuration
     * @param listener receives steps, epochs, checkpoints and progress (may be null)
     * @return the running trainer
     * @throws RuntimeException what stopped the trainer from starting (a locked store, a missing topic, a
     *     checkpoint that does not match the configuration, an unreachable broker ...)
     */
    public static StreamingTrainer start(final StreamingTrainerConfig config, final TrainerListener listener) {
        final StreamingTrainer trainer = new StreamingTrainer(config, listener);
        trainer.thread.start();
        try {
            trainer.started.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            trainer.close();
            throw new IllegalStateException("Interrupted while the trainer was starting", e);
        } catch (final ExecutionException e) {
            trainer.close();
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException("The trainer could not start: " + e.getCause(), e.getCause());
        }
        return trainer;
    }

    private void run() {
        try {
            loop = TrainerLoop.open(config, listener, complete);
            started.complete(null);
            while (!stopRequested && !Thread.currentThread().isInterrupted()) {
                loop.runOnce();
            }
            result.complete(loop.finish());
        } catch (final WakeupException | InterruptException | InterruptedException e) {
            // A stop request (wakeup) or an interrupt: stop cleanly. Clear the flag so the final checkpoint's file
            // channels are not closed by it, and restore it afterwards.
            final boolean interrupted = Thread.interrupted();
            finishQuietly();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (final Throwable error) {
            if (started.isDone()) {
                LOG.error("The trainer stopped on an error", error);
            } else {
                // start() throws it to the caller, which reports it (a command line in one line): no second report
                LOG.debug("The trainer could not start", error);
            }
            listener.onFailure(error);
            started.completeExceptionally(error);
            result.completeExceptionally(error);
            complete.completeExceptionally(error);
            stopped.completeExceptionally(error);
        } finally {
            if (loop != null) {
                loop.close();
            }
            started.complete(null);
            result.completeExceptionally(new IllegalStateException("The trainer stopped without a final checkpoint"));
            complete.completeExceptionally(
                    new IllegalStateException("The trainer stopped before training was " + "complete"));
            stopped.complete(null);
        }
    }

    private void finishQuietly() {
        if (loop == null) {
            return;
        }
        try {
            result.complete(loop.finish());
        } catch (final InterruptedException e) {
            LOG.warn("Interrupted while stopping ingest; the final checkpoint was not taken");
        } catch (final RuntimeException e) {
            LOG.warn("Final checkpoint and publication failed while stopping: {}", e.toString());
        }
    }

    /**
     * Returns the latest figures (updated after every iteration of the loop).
     *
     * @return the status, or null before the trainer started
     */
    public TrainerStatus status() {
        final TrainerLoop open = loop;
        return open == null ? null : open.status();
    }

    /**
     * Returns the dead letters sent since start, per reason.
     *
     * @return reason code to count
     */
    public Map<String, Long> rejectedByReason() {
        final TrainerLoop open = loop;
        return open == null ? Map.of() : open.rejectedByReason();
    }

    /**
     * Returns what the feature store's images take on disk per stored image: the live table files of the images
     * column family over the row count (a checkpoint flushes recent writes into table files; re-sent ids count
     * until compaction drops their older versions).
     *
     * @return bytes per image, NaN while the store is empty or not open
     */
    public double storedImageBytesPerImage() {
        final TrainerLoop open = loop;
        final int rows = open == null ? 0 : open.store().size();
        return rows == 0 ? Double.NaN : (double) open.store().diskUsage().tableBytes("images") / rows;
    }

    /**
     * Completes when the configured epochs are done ({@code npid.trainer.epochs}); never in endless mode.
     *
     * @return a future of the status at completion; exceptional if the trainer stopped before
     */
    public CompletableFuture<TrainerStatus> trainingComplete() {
        return complete;
    }

    /**
     * Completes with what the trainer did once it stopped cleanly (a stop request or an interrupt): steps, epochs,
     * rows and the last checkpoint's model version.
     *
     * @return a future of the result; exceptional when the trainer stopped on an error or without its final
     *     checkpoint
     */
    public CompletableFuture<TrainingResult> result() {
        return result;
    }

    /**
     * Completes when the training thread has stopped and released everything.
     *
     * @return a future, exceptional when the trainer stopped on an error
     */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /**
     * Tells whether the training thread is running.
     *
     * @return true until the trainer stopped
     */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops the trainer: a final checkpoint if training moved, pending features published, everything closed. */
    @Override
    public void close() {
        stopRequested = true;
        final TrainerLoop open = loop;
        if (open != null) {
            // (a loop still opening sees the request before its first iteration)
            open.wakeup();
        }
        if (Thread.currentThread() == thread) {
            return;
        }
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
