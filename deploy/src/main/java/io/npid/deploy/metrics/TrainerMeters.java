package io.npid.deploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.npid.trainer.checkpoint.CheckpointMeta;
import io.npid.trainer.stream.TrainerListener;
import io.npid.trainer.stream.TrainerStatus;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes what the streaming trainer reports as Micrometer meters: ingest and training rates, loss, bank size,
 * model version and dead letters by reason.
 *
 * <p>Called on the training thread; every method only increments or sets a value.
 */
public final class TrainerMeters implements TrainerListener {
    private final MeterRegistry registry;
    private final int batchSize;
    private final Counter ingested;
    private final Counter trainedImages;
    private final Counter steps;
    private final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
    private final AtomicLong bankSize = new AtomicLong();
    private final AtomicLong modelVersion = new AtomicLong(-1);
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong lag = new AtomicLong(-1);

    /**
     * Registers the meters.
     *
     * @param registry where to register
     * @param batchSize training batch size, to count images from steps
     */
    public TrainerMeters(final MeterRegistry registry, final int batchSize) {
        this.registry = registry;
        this.batchSize = batchSize;
        this.ingested = Counter.builder("npid.ingest.images")
                .description("Images accepted into the feature store")
                .register(registry);
        this.trainedImages = Counter.builder("npid.train.images")
                .description("Images trained on")
                .register(registry);
        this.steps = Counter.builder("npid.train.steps")
                .description("Optimisation steps")
                .register(registry);
        Gauge.builder("npid.train.loss", loss, AtomicReference::get)
                .description("Loss of the latest step")
                .register(registry);
        Gauge.builder("npid.bank.size", bankSize, AtomicLong::get)
                .description("Rows in the memory bank (distinct image ids)")
                .register(registry);
        Gauge.builder("npid.model.version", modelVersion, AtomicLong::get)
                .description("Version of the last published checkpoint")
                .register(registry);
        Gauge.builder("npid.train.epoch", epoch, AtomicLong::get)
                .description("Completed epochs")
                .register(registry);
        Gauge.builder("npid.trainer.input.lag", lag, AtomicLong::get)
                .description("Records behind the end of images and labels, -1 unknown")
                .register(registry);
    }

    @Override
    public void onStep(final long step, final long stepEpoch, final float stepLoss, final int rows) {
        steps.increment();
        trainedImages.increment(Math.min(batchSize, rows));
        loss.set((double) stepLoss);
        bankSize.set(rows);
    }

    @Override
    public void onEpochEnd(final long completed, final long step, final double meanLoss) {
        epoch.set(completed);
    }

    @Override
    public void onIngest(final int images, final int newRows, final int labels, final int rows) {
        ingested.increment(images);
        bankSize.set(rows);
    }

    @Override
    public void onRejected(final String topic, final String reason) {
        DeadLetterMeters.count(registry, "trainer", topic, reason);
    }

    @Override
    public void onCheckpoint(final CheckpointMeta meta) {
        modelVersion.set(meta.version());
    }

    @Override
    public void onProgress(final TrainerStatus status) {
        lag.set(status.lag());
        modelVersion.set(status.modelVersion());
        bankSize.set(status.rows());
    }
}
