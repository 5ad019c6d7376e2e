/**
 * JMH micro-benchmarks of the hot kernels: exact kNN search, event serdes, feature-bank reads and writes, and the
 * NCE loss forward pass. Run with {@code npid bench jmh} (see the README); each prints JMH's table and can write
 * JSON with {@code -rf json -rff FILE}.
 */
package io.npid.bench.jmh;
