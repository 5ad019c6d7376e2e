package io.npid.deploy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.npid.deploy.process.SettingException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class NpidMetricsTest {

    @Test
    void shouldServePrometheusMetricsOnLoopbackByDefault() throws IOException, InterruptedException {
        try (NpidMetrics metrics =
                NpidMetrics.start("test", new MetricsSettings(freePort(), MetricsSettings.LOOPBACK))) {
            Counter.builder("npid.test.images").register(metrics.registry()).increment(3);
            final InetSocketAddress address = metrics.endpoint().orElseThrow();

            final HttpResponse<String> response = get(address, "/metrics");

            assertTrue(address.getAddress().isLoopbackAddress(), "bound to " + address);
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("npid_test_images_total{process=\"test\"} 3.0"), response.body());
        }
    }

    @Test
    void shouldReportHealthFromTheProcessCheck() throws IOException, InterruptedException {
        final AtomicBoolean healthy = new AtomicBoolean(true);
        try (NpidMetrics metrics =
                NpidMetrics.start("test", new MetricsSettings(freePort(), MetricsSettings.LOOPBACK))) {
            metrics.health(healthy::get);
            final InetSocketAddress address = metrics.endpoint().orElseThrow();

            assertEquals(200, get(address, "/health").statusCode());
            healthy.set(false);
            assertEquals(503, get(address, "/health").statusCode());
        }
    }

    @Test
    void shouldOpenNoEndpointWithoutPort() {
        try (NpidMetrics metrics = NpidMetrics.start("test", MetricsSettings.jmxOnly())) {
            assertFalse(metrics.endpoint().isPresent());
        }
    }

    @Test
    void shouldRejectPortOutOfRangeNamingTheOption() {
        final SettingException e = assertThrows(SettingException.class, () -> new MetricsSettings(70000, "x"));

        assertTrue(e.getMessage().startsWith("Invalid value 70000 for configuration --metrics-port"), e.getMessage());
    }

    private static HttpResponse<String> get(final InetSocketAddress address, final String path)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
