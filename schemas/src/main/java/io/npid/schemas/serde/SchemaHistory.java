package io.npid.schemas.serde;

import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.event.QueryVector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * The older writer schemas that readers must still accept, looked up by single-object fingerprint.
 *
 * <p>Checklist for changing an event schema: (1) copy the current {@code .avsc} to
 * {@code src/main/resources/io/npid/schemas/history/<Name>-v<N>.avsc} before editing it; (2) add that path to
 * {@link #RETIRED_RESOURCES}; (3) only add fields with defaults (or remove fields that had one), so that new
 * readers can resolve old payloads and old readers new ones. Readers created by {@link EventSerde#of(Class)} then
 * decode payloads of every listed version. Old readers read new writers through the {@code schemas} topic
 * instead: every writer registers its schemas there ({@code io.npid.schemas.kafka.SchemaTopic}) and a reader that
 * meets an unknown fingerprint looks it up ({@link WriterSchemas}), so this history only ever lists the past.
 * Instances are immutable.
 */
public final class SchemaHistory {

    /**
     * Classpath resources of retired writer schemas: ImageEvent, LabelEvent, FeatureEvent and ClassificationResult
     * v1 from before class names were carried; QueryEvent v1, QueryVector v1 and ClassificationResult v2 from
     * before requests had a requestId; ModelCheckpoint v1 from before checkpoints carried the trainer's settings.
     */
    private static final List<String> RETIRED_RESOURCES = List.of(
            "io/npid/schemas/history/ImageEvent-v1.avsc",
            "io/npid/schemas/history/LabelEvent-v1.avsc",
            "io/npid/schemas/history/FeatureEvent-v1.avsc",
            "io/npid/schemas/history/ClassificationResult-v1.avsc",
            "io/npid/schemas/history/ClassificationResult-v2.avsc",
            "io/npid/schemas/history/QueryEvent-v1.avsc",
            "io/npid/schemas/history/QueryVector-v1.avsc",
            "io/npid/schemas/history/ModelCheckpoint-v1.avsc");

    /** The current top-level event schemas, used to name the type of a payload that reached the wrong reader. */
    private static final List<Schema> CURRENT_EVENTS = List.of(
            ImageEvent.getClassSchema(),
            LabelEvent.getClassSchema(),
            FeatureEvent.getClassSchema(),
            ModelCheckpoint.getClassSchema(),
            QueryEvent.getClassSchema(),
            QueryVector.getClassSchema(),
            ClassificationResult.getClassSchema(),
            DeadLetter.getClassSchema());

    private static final SchemaHistory RETIRED = fromResources(RETIRED_RESOURCES);

    private final Map<Long, Schema> byFingerprint;

    private SchemaHistory(final Map<Long, Schema> byFingerprint) {
        this.byFingerprint = Map.copyOf(byFingerprint);
    }

    /**
     * The retired schema versions of npid-stream's events, as listed in {@link #RETIRED_RESOURCES}.
     *
     * @return the shared history
     */
    public static SchemaHistory retired() {
        return RETIRED;
    }

    /**
     * The schemas of the events this build writes, which it registers in the {@code schemas} topic.
     *
     * @return the current top-level event schemas
     */
    public static List<Schema> current() {
        return CURRENT_EVENTS;
    }

    /**
     * A history of the given writer schemas.
     *
     * @param schemas older (or, for a forward-compatible reader, newer) writer schemas
     * @return the history
     */
    public static SchemaHistory of(final Collection<Schema> schemas) {
        final Map<Long, Schema> map = new HashMap<>();
        for (final Schema schema : schemas) {
            map.put(fingerprint(schema), schema);
        }
        return new SchemaHistory(map);
    }

    /**
     * A history read from {@code .avsc} classpath resources.
     *
     * @param resources resource paths, e.g. {@code io/npid/schemas/history/ImageEvent-v1.avsc}
     * @return the history
     * @throws IllegalStateException if a resource is missing or is not a valid schema
     */
    public static SchemaHistory fromResources(final List<String> resources) {
        final List<Schema> schemas = new ArrayList<>();
        for (final String resource : resources) {
            try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Retired schema resource " + resource + " is not on the classpath");
                }
                schemas.add(new Schema.Parser().parse(in));
            } catch (final IOException e) {
                throw new UncheckedIOException("Cannot read retired schema resource " + resource, e);
            }
        }
        return of(schemas);
    }

    /**
     * This history plus one more schema.
     *
     * @param schema a writer schema
     * @return a new history
     */
    public SchemaHistory plus(final Schema schema) {
        final Map<Long, Schema> map = new HashMap<>(byFingerprint);
        map.put(fingerprint(schema), schema);
        return new SchemaHistory(map);
    }

    /**
     * The writer schemas of one record type, which a reader of that type can resolve.
     *
     * @param fullName the record's full name, e.g. {@code io.npid.schemas.event.ImageEvent}
     * @return the schemas, possibly none
     */
    public List<Schema> versionsOf(final String fullName) {
        final List<Schema> versions = new ArrayList<>();
        for (final Schema schema : byFingerprint.values()) {
            if (schema.getFullName().equals(fullName)) {
                versions.add(schema);
            }
        }
        return versions;
    }

    /**
     * A schema store holding only the versions of one record type, for a reader of that type.
     *
     * <p>A store that also answered for other types would make a reader try to resolve, say, a LabelEvent
     * against an ImageEvent schema and fail late with a confusing error instead of an unknown fingerprint.
     *
     * @param fullName the record's full name
     * @return the store
     */
    public SchemaStore storeFor(final String fullName) {
        final SchemaStore.Cache cache = new SchemaStore.Cache();
        versionsOf(fullName).forEach(cache::addSchema);
        return cache;
    }

    /**
     * Names the current or retired event type that a fingerprint belongs to, for error messages.
     *
     * @param fingerprint a single-object fingerprint
     * @return the type's full name and version hint, if known
     */
    public Optional<String> describe(final long fingerprint) {
        for (final Schema schema : CURRENT_EVENTS) {
            if (fingerprint(schema) == fingerprint) {
                return Optional.of(schema.getFullName() + " (current version)");
            }
        }
        return Optional.ofNullable(byFingerprint.get(fingerprint)).map(s -> s.getFullName() + " (older version)");
    }

    /**
     * The 64-bit CRC-64-AVRO fingerprint of a schema's parsing canonical form, as single-object encoding writes it.
     *
     * @param schema a schema
     * @return its fingerprint
     */
    public static long fingerprint(final Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
