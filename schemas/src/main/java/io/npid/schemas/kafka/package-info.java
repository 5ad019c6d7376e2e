/** Kafka plumbing shared by the processes: the embedded KRaft broker, topic creation and checks, client defaults. */
package io.npid.schemas.kafka;
