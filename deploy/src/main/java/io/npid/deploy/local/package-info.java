/** The one-JVM local stack (embedded broker, trainer, embedder, indexer) and the scenario {@code npid local} runs on it. */
package io.npid.deploy.local;
