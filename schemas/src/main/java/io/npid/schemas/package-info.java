/** The typed registry of npid-stream's Kafka topics and the dead-letter record builder shared by every process. */
package io.npid.schemas;
