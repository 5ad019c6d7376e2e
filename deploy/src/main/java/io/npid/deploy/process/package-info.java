/**
 * What the commands, the local stack, the benchmarks and the clients share: Kafka client settings, setting errors,
 * progress lines, log levels, the trainer's listeners and the indexer process. It depends on no other deploy
 * package, so the command line ({@code cli}) sits on top and nothing points back at it (PackageCyclesTest).
 */
package io.npid.deploy.process;
