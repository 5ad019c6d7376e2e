/** Micrometer metrics for the npid processes: JMX always, a Prometheus endpoint on request. */
package io.npid.deploy.metrics;
