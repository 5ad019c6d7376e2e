package io.npid.schemas.serde;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;

/**
 * The writer schemas this process has learned at run time, and the sources it learns them from: what lets an
 * older reader decode a newer writer's records during a rolling upgrade (producers are upgraded first).
 *
 * <p>Every {@link EventSerde} consults it on a fingerprint that is neither its own nor in {@link SchemaHistory}.
 * It is process-wide because the serdes are (they are built once per event type, deep inside every process);
 * that is safe because a fingerprint names one schema everywhere: a schema learned from one broker's
 * {@code schemas} topic is the same schema on any other. A process installs its source when it starts and closes
 * the handle when it stops; with no source installed a reader knows exactly what it knew before.
 */
public final class WriterSchemas {

    private static final List<WriterSchemaSource> SOURCES = new CopyOnWriteArrayList<>();
    private static final Map<Long, Schema> LEARNED = new ConcurrentHashMap<>();

    private WriterSchemas() {}

    /**
     * Adds a source that readers consult on an unknown fingerprint.
     *
     * @param source the source, e.g. the process's {@code SchemaTopic}
     * @return a handle whose {@code close()} removes the source again (learned schemas stay: they are facts)
     */
    public static AutoCloseable install(final WriterSchemaSource source) {
        Objects.requireNonNull(source, "source");
        SOURCES.add(source);
        return () -> SOURCES.remove(source);
    }

    /**
     * The schema with this fingerprint: one learned before, or the first an installed source has.
     *
     * @param fingerprint a single-object fingerprint
     * @return the schema, or empty when no source knows it
     */
    public static Optional<Schema> find(final long fingerprint) {
        final Schema known = LEARNED.get(fingerprint);
        if (known != null) {
            return Optional.of(known);
        }
        for (final WriterSchemaSource source : SOURCES) {
            final Optional<Schema> found = source.find(fingerprint);
            // A source must hand back the schema it was asked for; a mismatch would mis-read every record.
            if (found.isPresent() && SchemaHistory.fingerprint(found.get()) == fingerprint) {
                LEARNED.put(fingerprint, found.get());
                return found;
            }
        }
        return Optional.empty();
    }
}
