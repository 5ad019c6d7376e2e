package io.npid.deploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.npid.trainer.embed.EmbedderListener;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes what the embedder reports as Micrometer meters: queries embedded, error answers, encoder time, the
 * model version it serves and how long ago it loaded it, and dead letters by reason.
 */
public final class EmbedderMeters implements EmbedderListener {
    private final MeterRegistry registry;
    private final Counter embedded;
    private final Counter errors;
    private final Timer embedTime;
    private final AtomicLong modelVersion = new AtomicLong(-1);
    private final AtomicLong modelLoadedAtMs = new AtomicLong();

    /**
     * Registers the meters.
     *
     * @param registry where to register
     */
    public EmbedderMeters(final MeterRegistry registry) {
        this.registry = registry;
        this.embedded = Counter.builder("npid.embedder.queries")
                .description("Queries embedded and sent on")
                .register(registry);
        this.errors = Counter.builder("npid.embedder.errors")
                .description("Queries answered with an ERROR result")
                .register(registry);
        this.embedTime = Timer.builder("npid.embedder.encode")
                .description("Encoder time per poll's batch")
                .register(registry);
        Gauge.builder("npid.embedder.model.version", modelVersion, AtomicLong::get)
                .description("Model version serving queries")
                .register(registry);
        Gauge.builder(
                        "npid.embedder.model.age",
                        modelLoadedAtMs,
                        t -> t.get() == 0 ? Double.NaN : (System.currentTimeMillis() - t.get()) / 1000.0)
                .description("Seconds since the serving model was loaded")
                .baseUnit("seconds")
                .register(registry);
    }

    @Override
    public void onModelLoaded(final long version, final long step) {
        modelVersion.set(version);
        modelLoadedAtMs.set(System.currentTimeMillis());
    }

    @Override
    public void onAnswered(final int vectors, final int errorCount, final long embedNanos) {
        embedded.increment(vectors);
        errors.increment(errorCount);
        embedTime.record(embedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onRejected(final String topic, final String reason) {
        DeadLetterMeters.count(registry, "embedder", topic, reason);
    }
}
