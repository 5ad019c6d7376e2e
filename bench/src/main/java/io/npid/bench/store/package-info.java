/** The feature-store benchmark ({@code npid bench store}): ingest, image reads, bank writes and bank loads. */
package io.npid.bench.store;
