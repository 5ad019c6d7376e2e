package io.npid.deploy.metrics;

import io.npid.deploy.process.SettingException;

/**
 * Where the opt-in Prometheus endpoint listens, if anywhere; immutable and validated.
 *
 * @param port TCP port of the endpoint, 0 for none (JMX only)
 * @param host address to bind; loopback unless the user names another
 */
public record MetricsSettings(int port, String host) {
    /** The default bind address: loopback only, so nothing is exposed unless asked for. */
    public static final String LOOPBACK = "127.0.0.1";

    /**
     * Validates the settings.
     *
     * @throws SettingException when the port is out of range or the host is blank
     */
    public MetricsSettings {
        if (port < 0 || port > 65535) {
            throw new SettingException("--metrics-port", port, "must be between 1 and 65535, or 0 for no endpoint");
        }
        if (host == null || host.isBlank()) {
            throw new SettingException("--metrics-host", "''", "must be an address, e.g. 127.0.0.1 or 0.0.0.0");
        }
    }

    /** @return JMX only, no HTTP endpoint */
    public static MetricsSettings jmxOnly() {
        return new MetricsSettings(0, LOOPBACK);
    }

    /** @return true when a Prometheus endpoint is wanted */
    public boolean prometheus() {
        return port > 0;
    }
}
