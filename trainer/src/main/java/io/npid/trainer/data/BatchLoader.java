package io.npid.trainer.data;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares augmented batches on a background thread, ahead of the training thread, through a bounded queue.
 *
 * <p>The thread asks the {@link BatchScheduler} for rows, reads their images from the {@link ImageSource} and
 * augments them; the queue holds at most {@code prefetch} batches so memory stays bounded while the engine never
 * waits for data in steady state. Augmentation is seeded by (seed, epoch, row): the same row in the same epoch gets
 * the same view, whatever the batch and however often the process restarts. A failure on the thread is rethrown by
 * {@link #take} / {@link #poll}.
 */
public final class BatchLoader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoader.class);
    private static final long IDLE_WAIT_MS = 100;

    private final BatchScheduler scheduler;
    private final ImageSource source;
    private final Augmenter augmenter;
    private final long seed;
    private final BlockingQueue<AugmentedBatch> queue;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /**
     * Creates and starts the loader.
     *
     * @param scheduler chooses the rows
     * @param source reads the images
     * @param spec augmentation and output shape
     * @param seed augmentation seed
     * @param prefetch batches kept ready (at least 1)
     */
    public BatchLoader(
            final BatchScheduler scheduler,
            final ImageSource source,
            final AugmentationSpec spec,
            final long seed,
            final int prefetch) {
        this.scheduler = scheduler;
        this.source = source;
        this.augmenter = new Augmenter(spec);
        this.seed = seed;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, prefetch));
        this.thread = new Thread(this::run, "npid-batch-loader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                final BatchScheduler.Batch batch = scheduler.next(IDLE_WAIT_MS);
                if (batch == null) {
                    continue;
                }
                final AugmentedBatch ready = augment(batch);
                while (running && !queue.offer(ready, IDLE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    // queue full: the trainer is slower than augmentation, which is the intended steady state
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            LOG.error("Batch loader failed", e);
            failure = e;
        }
    }

    private AugmentedBatch augment(final BatchScheduler.Batch batch) {
        final int[] rows = batch.rows();
        final List<DecodedImage> images = source.images(rows);
        final AugmentationSpec spec = augmenter.spec();
        final int per = spec.floatsPerImage();
        final float[] pixels = new float[rows.length * per];
        final SplitMix64 rng = new SplitMix64(0);
        for (int i = 0; i < rows.length; i++) {
            rng.setState(SplitMix64.derive(seed, batch.epoch(), rows[i]));
            augmenter.augment(images.get(i), rng, pixels, i * per);
        }
        return new AugmentedBatch(
                rows,
                pixels,
                spec.channels(),
                spec.size(),
                batch.epoch(),
                batch.epochProgress(),
                batch.passRows(),
                batch.after());
    }

    /**
     * Returns the next batch, waiting as long as needed.
     *
     * @return the batch
     * @throws InterruptedException when interrupted
     * @throws IllegalStateException when the loader thread failed (the cause is attached)
     */
    public AugmentedBatch take() throws InterruptedException {
        while (true) {
            final AugmentedBatch batch = poll(IDLE_WAIT_MS, TimeUnit.MILLISECONDS);
            if (batch != null) {
                return batch;
            }
        }
    }

    /**
     * Returns the next batch if one is ready within the timeout.
     *
     * @param timeout how long to wait
     * @param unit its unit
     * @return the batch or null
     * @throws InterruptedException when interrupted
     * @throws IllegalStateException when the loader thread failed
     */
    public AugmentedBatch poll(final long timeout, final TimeUnit unit) throws InterruptedException {
        if (failure != null) {
            throw new IllegalStateException("Batch loader thread failed: " + failure.getMessage(), failure);
        }
        return queue.poll(timeout, unit);
    }

    /** @return the scheduler feeding this loader */
    public BatchScheduler scheduler() {
        return scheduler;
    }

    /** Stops the thread and waits for it. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
