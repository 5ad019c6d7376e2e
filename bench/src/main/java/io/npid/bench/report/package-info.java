/**
 * What every benchmark main shares: its command line ({@link io.npid.bench.report.BenchArgs}), its JSON output and its
 * latency percentiles.
 */
package io.npid.bench.report;
