/** Training-throughput benchmark that prints figures and writes them as JSON. */
package io.npid.bench.trainer;
