package io.npid.store;

import io.npid.schemas.ClassName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * A builder of one atomic ingest: images with their optional initial bank vectors, class names and consumed
 * offsets, committed together as one RocksDB WriteBatch.
 *
 * <p>After a crash the store holds either the whole batch (with its offsets) or none of it. Get one from
 * {@link FeatureStore#newIngest()}; a batch is used by one thread and committed once.
 */
public final class IngestBatch {
    private final FeatureStore store;
    private final List<StoredImage> images = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    private boolean committed;

    IngestBatch(final FeatureStore store) {
        this.store = store;
    }

    /**
     * Adds an image. A new id gets the next row; an id already stored (or put earlier in this batch) keeps its row
     * and its image is replaced.
     *
     * @param image the decoded image
     * @param initialVectorOrNull the row's bank vector to store with it (a finite unit vector of the store's
     *     dimension; it replaces the row's vector also for a known id), or null to leave the bank row as it is
     * @return this batch
     * @throws StoreException naming the image id if the vector has the wrong length, a non-finite value or no unit norm
     * @throws IllegalStateException if the batch was committed
     */
    public IngestBatch put(final StoredImage image, final float[] initialVectorOrNull) {
        checkOpen();
        Objects.requireNonNull(image, "image");
        float[] copy = null;
        if (initialVectorOrNull != null) {
            final int dim = store.dimension();
            if (initialVectorOrNull.length != dim) {
                throw new StoreException("Initial bank vector for image '" + image.id() + "' has "
                        + initialVectorOrNull.length + " values, but the store's dimension is " + dim);
            }
            BankVectors.checkUnit(initialVectorOrNull, 0, dim, "image '" + image.id() + "'");
            copy = initialVectorOrNull.clone();
        }
        images.add(image);
        vectors.add(copy);
        return this;
    }

    /**
     * Sets an image's class; the image may be in this batch, stored already, or still to come.
     *
     * @param id the image id
     * @param className the class name, resolved by {@link ClassName#resolve} (stripped, not blank, no control
     *     characters, at most {@value ClassName#MAX_LENGTH} characters)
     * @return this batch
     * @throws IllegalArgumentException if the id is empty or the class name is not a resolved one
     * @throws NullPointerException if the id or the class name is null
     */
    public IngestBatch label(final String id, final String className) {
        checkOpen();
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(className, "className");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("Cannot label an empty image id (class '" + className + "')");
        }
        labels.put(id, ClassName.requireValid(className));
        return this;
    }

    /**
     * Records the next offset to consume from a topic-partition, stored with this batch's images.
     *
     * @param tp the topic-partition
     * @param nextOffset the offset after the last record in this batch, at least 0
     * @return this batch
     * @throws IllegalArgumentException if the offset is negative
     */
    public IngestBatch offset(final TopicPartition tp, final long nextOffset) {
        checkOpen();
        Objects.requireNonNull(tp, "tp");
        if (nextOffset < 0) {
            throw new IllegalArgumentException("Offset " + nextOffset + " for " + tp + " must be at least 0");
        }
        offsets.put(tp, nextOffset);
        return this;
    }

    /** @return the number of images put so far */
    public int imageCount() {
        return images.size();
    }

    /** @return true when nothing was put, labelled or offset */
    public boolean isEmpty() {
        return images.isEmpty() && labels.isEmpty() && offsets.isEmpty();
    }

    /**
     * Writes the whole batch atomically; when this returns, a process kill cannot lose it.
     *
     * @return the row of every put image, in put order
     * @throws StoreException naming the store path if the write fails (then nothing of the batch is stored)
     * @throws IllegalStateException if the batch was committed already or the store is closed
     */
    public int[] commit() {
        checkOpen();
        committed = true;
        return store.commit(
                Collections.unmodifiableList(images),
                Collections.unmodifiableList(vectors),
                Collections.unmodifiableMap(labels),
                Collections.unmodifiableMap(offsets));
    }

    private void checkOpen() {
        if (committed) {
            throw new IllegalStateException(
                    "This ingest batch was committed already; start a new one with" + " FeatureStore.newIngest()");
        }
    }
}
