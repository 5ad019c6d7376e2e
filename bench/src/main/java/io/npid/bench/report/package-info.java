/** What every benchmark main shares: its command line ({@link io.npid.bench.report.BenchArgs}) and its JSON output. */
package io.npid.bench.report;
