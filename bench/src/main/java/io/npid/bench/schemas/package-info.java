/** Benchmarks of the serdes and the embedded broker that print their figures and write them as JSON. */
package io.npid.bench.schemas;
