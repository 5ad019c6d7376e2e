/**
 * A real single-node Kafka broker (KRaft) inside the JVM, for {@code npid local}, the benchmarks and the tests; no
 * production process links it.
 */
package io.npid.broker;
