/** Avro event classes generated from src/main/avro (never edited by hand). */
package io.npid.schemas.event;
