package io.npid.deploy.metrics;

import picocli.CommandLine.Option;

/** The metrics options of the long-running commands (a picocli mixin). */
public final class MetricsOptions {

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics (default: off; JMX is always on).")
    int port;

    @Option(
            names = "--metrics-host",
            paramLabel = "ADDRESS",
            defaultValue = MetricsSettings.LOOPBACK,
            description = "Address the metrics endpoint binds to (default: ${DEFAULT-VALUE}, loopback only).")
    String host;

    /**
     * Validates the options.
     *
     * @return the settings
     */
    public MetricsSettings toSettings() {
        return new MetricsSettings(port, host);
    }
}
