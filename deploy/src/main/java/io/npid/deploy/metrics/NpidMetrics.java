package io.npid.deploy.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The metrics of one npid process: a Micrometer registry published over JMX, and over HTTP for Prometheus when asked.
 *
 * <p>The endpoint is the JDK's own HTTP server on one daemon thread, serving {@code /metrics} and {@code /health}
 * (200 while the process says it is healthy, 503 otherwise, for Kubernetes probes); it binds to loopback unless
 * {@link MetricsSettings#host()} says otherwise. Close it to stop the endpoint and unregister the
 * MBeans.
 */
public final class NpidMetrics implements AutoCloseable {
    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final JmxMeterRegistry jmx;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final PrometheusMeterRegistry prometheus;
    private final HttpServer server;
    private final ExecutorService serverThread;
    private volatile BooleanSupplier health = () -> true;

    private NpidMetrics(final String process, final MetricsSettings settings) throws IOException {
        jmx = new JmxMeterRegistry(JmxConfig.DEFAULT, Clock.SYSTEM);
        registry.add(jmx);
        if (settings.prometheus()) {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.add(prometheus);
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
            server.createContext("/metrics", exchange -> {
                final byte[] body = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.createContext("/health", exchange -> {
                final boolean ok = health.getAsBoolean();
                final byte[] body = (ok ? "ok\n" : "unhealthy\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            serverThread = Executors.newSingleThreadExecutor(r -> {
                final Thread t = new Thread(r, "npid-metrics-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(serverThread);
            server.start();
        } else {
            prometheus = null;
            server = null;
            serverThread = null;
        }
        registry.config().commonTags(Tags.of("process", process));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
    }

    /**
     * Starts the registries and, when asked, the endpoint.
     *
     * @param process tag value naming the process, e.g. {@code indexer}
     * @param settings endpoint settings
     * @return the started metrics
     * @throws UncheckedIOException when the endpoint's port cannot be bound
     */
    public static NpidMetrics start(final String process, final MetricsSettings settings) {
        try {
            return new NpidMetrics(process, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + settings.host() + ":" + settings.port(), e);
        }
    }

    /** @return the registry to bind meters to */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Sets what {@code /health} reports.
     *
     * @param check true while the process works (e.g. Kafka Streams running or rebalancing)
     */
    public void health(final BooleanSupplier check) {
        this.health = check;
    }

    /** @return the endpoint's bound address, when there is one */
    public Optional<InetSocketAddress> endpoint() {
        return server == null ? Optional.empty() : Optional.of(server.getAddress());
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            serverThread.shutdownNow();
        }
        gcMetrics.close();
        registry.close();
        jmx.close();
        if (prometheus != null) {
            prometheus.close();
        }
    }
}
