/** Kafka plumbing shared by the processes: topic creation and checks, client defaults. */
package io.npid.schemas.kafka;
