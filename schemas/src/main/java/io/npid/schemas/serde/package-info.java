/** Kafka serdes for the Avro events (single-object encoding), their typed decode errors and the vector codec. */
package io.npid.schemas.serde;
