package io.npid.indexer;

import io.npid.indexer.internals.VectorCheck;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once per process and per size, as one warning line, that vectors of another dimension than the indexer's
 * arrive: each one is also dead-lettered, but a model trained with another {@code npid.low.dim} would otherwise
 * only show up as a dead-letter count. Thread-safe.
 */
final class DimensionNotice {
    private static final Logger LOG = LoggerFactory.getLogger(DimensionNotice.class);
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private DimensionNotice() {}

    /**
     * Warns the first time vectors of a kind arrive with a given wrong size.
     *
     * @param kind "feature" or "query" vectors
     * @param vector the vector field
     * @param dimension the indexer's dimension
     * @return whether this call warned
     */
    static boolean observe(final String kind, final ByteBuffer vector, final int dimension) {
        final int bytes = vector.remaining();
        if (bytes == dimension * Float.BYTES || !SAID.add(kind + "/" + bytes)) {
            return false;
        }
        LOG.warn(
                "{} vectors of {} arrive, but the indexer's {}={}: every one goes to dead-letters as {}. Give "
                        + "the indexer the trainer's {} (one key sets both).",
                kind,
                bytes % Float.BYTES == 0 ? (bytes / Float.BYTES) + " values" : bytes + " bytes",
                IndexerConfig.DIMENSION_CONFIG,
                dimension,
                VectorCheck.WRONG_DIMENSION,
                IndexerConfig.DIMENSION_CONFIG);
        return true;
    }
}
