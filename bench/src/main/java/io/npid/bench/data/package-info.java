/** Seeded synthetic data that several benchmarks share. */
package io.npid.bench.data;
