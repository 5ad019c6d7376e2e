package io.npid.trainer.stream;

import static io.npid.schemas.DeadLetterReason.EMBED_FAILED;

import io.npid.store.FeatureStore;
import io.npid.store.IngestBatch;
import io.npid.store.StoredImage;
import io.npid.trainer.data.ColourDropNotice;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageResizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one poll of the images and labels topics into one atomic feature-store ingest: the exactly-once step.
 *
 * <p>Every record is validated; a rejected one goes to dead-letters. An accepted image is shrunk to the stored size
 * ({@code npid.image.store.size}) before anything else sees it. Accepted images with a new id are embedded by the
 * ingest thread's copy of the latest weights (their first bank row, so they are queryable at once); an id already
 * stored keeps its row and its trained bank vector, only its image is replaced. The images, the labels and the next
 * offset of every polled partition (past its rejected records too, even when the poll held no good one) are then
 * committed as ONE store write, after the dead letters were acknowledged. A crash before the commit re-consumes the
 * whole poll (nothing is counted yet; a rejected record of it is dead-lettered once more); a crash after it resumes
 * behind it (nothing is consumed twice, no bad record is read again), so the bank holds exactly one row per distinct
 * id acknowledged by the broker.
 *
 * <p>The commit, the publication of the new rows' features and the hand-over of the result to the training thread
 * happen under one lock shared by every ingest thread and the checkpoint: rows reach the learner in row order, a
 * row's first feature is sent before any trained one, and a checkpoint's snapshot sees whole ingests. Used by one
 * ingest thread.
 */
final class Ingestor {

    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);

    private final FeatureStore store;
    private final IngestEncoder encoder;
    private final int inputChannels;
    private final InputRecordValidator validator;
    private final DeadLetterSink deadLetters;
    private final FeaturePublisher features;
    private final String imagesTopic;
    private final int embedBatchSize;
    private final int storedSide;
    private final LongSupplier clockMs;
    private final Object commitLock;
    private final java.util.function.Consumer<Result> handoff;
    private final List<Rejection> rejections = new ArrayList<>();
    private final ColourDropNotice colourDrop = new ColourDropNotice("To learn from colour, train a new model with "
            + StreamingTrainerConfig.IMAGE_CHANNELS_CONFIG + "=3 in a new " + StreamingTrainerConfig.DATA_DIR_CONFIG
            + " (a model's input cannot change).");

    /**
     * A record sent to dead-letters.
     *
     * @param topic the topic it was read from
     * @param reason the reason code
     */
    record Rejection(String topic, String reason) {
    }

    /**
     * What one ingest did.
     *
     * @param records records consumed (good and bad)
     * @param images accepted images (distinct ids of the poll)
     * @param newRows rows created for new ids, ascending
     * @param newVectors their initial bank vectors, newRows.length * dim
     * @param labels labels (class names) stored
     * @param relabelledRows existing rows that got a label in this ingest
     * @param rejections records sent to dead-letters
     */
    record Result(int records, int images, int[] newRows, float[] newVectors, int labels, int[] relabelledRows,
                  List<Rejection> rejections) {
    }

    /**
     * An accepted image with its pixels as stored: shrunk to the stored size (what every later embedding sees), so
     * that a poll of large photos never holds them at full resolution.
     */
    private record Candidate(ConsumerRecord<byte[], byte[]> record, String id, DecodedImage pixels) {
    }

    Ingestor(final FeatureStore store, final IngestEncoder encoder, final int inputChannels,
             final InputRecordValidator validator, final DeadLetterSink deadLetters, final FeaturePublisher features,
             final String imagesTopic, final int embedBatchSize, final int storedSide, final LongSupplier clockMs,
             final Object commitLock, final java.util.function.Consumer<Result> handoff) {
        this.store = store;
        this.encoder = encoder;
        this.inputChannels = inputChannels;
        this.validator = validator;
        this.deadLetters = deadLetters;
        this.features = features;
        this.imagesTopic = imagesTopic;
        this.embedBatchSize = embedBatchSize;
        this.storedSide = storedSide;
        this.clockMs = clockMs;
        this.commitLock = commitLock;
        this.handoff = handoff;
    }

    /**
     * Ingests one poll and hands the result over (see the class comment).
     *
     * @param records the poll
     */
    void ingest(final ConsumerRecords<byte[], byte[]> records) {
        final Map<String, Candidate> images = new LinkedHashMap<>();
        final Map<String, String> labels = new LinkedHashMap<>();
        final Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        rejections.clear();
        encoder.refresh();
        for (final TopicPartition partition : records.partitions()) {
            final boolean isImages = partition.topic().equals(imagesTopic);
            long next = -1;
            for (final ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                next = record.offset() + 1;
                final InputRecordValidator.Verdict verdict = isImages ? validator.image(record)
                        : validator.label(record);
                if (verdict instanceof InputRecordValidator.AcceptedImage image) {
                    // Latest wins within a poll, as it would across polls (a re-sent id replaces the image).
                    images.remove(image.id());
                    colourDrop.observe(image.image(), inputChannels, "Image '" + image.id() + "'");
                    images.put(image.id(), new Candidate(record, image.id(),
                            ImageResizer.shrinkToShorterSide(image.image(), storedSide)));
                    if (image.className() != null) {
                        labels.put(image.id(), image.className());
                    }
                } else if (verdict instanceof InputRecordValidator.AcceptedLabel label) {
                    labels.put(label.id(), label.className());
                } else if (verdict instanceof InputRecordValidator.Rejected bad) {
                    reject(record, bad.reason(), bad.detail());
                }
            }
            if (next >= 0) {
                // the offset past the poll's last record, good or bad: a rejected record is never read again
                offsets.put(partition, next);
            }
        }
        final List<Candidate> fresh = new ArrayList<>();
        for (final Candidate candidate : images.values()) {
            if (store.rowOf(candidate.id()) < 0) {
                fresh.add(candidate);
            }
        }
        // Embedding is the slow part: outside the lock, so ingest threads embed in parallel with each other.
        final Map<String, float[]> vectors = embed(fresh);
        synchronized (commitLock) {
            commit(records.count(), images, labels, offsets, vectors);
        }
    }

    private void commit(final int recordCount, final Map<String, Candidate> images, final Map<String, String> labels,
                        final Map<TopicPartition, Long> offsets, final Map<String, float[]> vectors) {
        final IngestBatch batch = store.newIngest();
        final long now = clockMs.getAsLong();
        int accepted = 0;
        final List<String> created = new ArrayList<>();
        for (final Candidate candidate : images.values()) {
            final String id = candidate.id();
            // Asked again under the lock: another ingest thread may have stored the id since (a custom partitioner).
            final boolean isNew = store.rowOf(id) < 0;
            if (isNew && !vectors.containsKey(id)) {
                continue;
            }
            final DecodedImage image = candidate.pixels();
            batch.put(new StoredImage(id, image.pixels(), image.width(), image.height(), image.channels(), now),
                    isNew ? vectors.get(id) : null);
            if (isNew) {
                created.add(id);
            }
            accepted++;
        }
        final List<Integer> relabelled = new ArrayList<>();
        for (final Map.Entry<String, String> label : labels.entrySet()) {
            batch.label(label.getKey(), label.getValue());
            final int row = store.rowOf(label.getKey());
            if (row >= 0) {
                relabelled.add(row);
            }
        }
        offsets.forEach(batch::offset);
        // Dead letters first: once the offsets are committed the rejected records are never read again. (A poll
        // without any skips the flush: it would wait for every feature in flight on the shared producer.)
        if (!rejections.isEmpty()) {
            deadLetters.flush();
        }
        final int before = store.size();
        batch.commit();
        if (store.size() - before != created.size()) {
            throw new IllegalStateException("Ingest created " + (store.size() - before) + " rows for "
                    + created.size() + " new ids; is another process writing to the store " + store.path() + "?");
        }
        final int dim = store.dimension();
        final int[] newRows = new int[created.size()];
        final float[] newVectors = new float[created.size() * dim];
        final List<PendingFeatures.Row> published = new ArrayList<>();
        final LatestWeights.Snapshot weights = encoder.current();
        for (int i = 0; i < newRows.length; i++) {
            newRows[i] = before + i;
            final float[] vector = vectors.get(store.idOf(before + i));
            System.arraycopy(vector, 0, newVectors, i * dim, dim);
            published.add(new PendingFeatures.Row(newRows[i], vector, weights.step(), weights.modelVersion()));
        }
        // Queryable at once: the new rows' features go out now, not with the training thread's next publication.
        features.publish(published);
        handoff.accept(new Result(recordCount, accepted, newRows, newVectors, labels.size(),
                relabelled.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(rejections)));
    }

    /** Embeds new images in batches; an image the engine fails on is dead-lettered instead of stopping ingest. */
    private Map<String, float[]> embed(final List<Candidate> fresh) {
        final Map<String, float[]> vectors = new LinkedHashMap<>();
        for (int start = 0; start < fresh.size(); start += embedBatchSize) {
            final List<Candidate> chunk = fresh.subList(start, Math.min(fresh.size(), start + embedBatchSize));
            try {
                final List<DecodedImage> pixels = chunk.stream().map(Candidate::pixels).toList();
                split(chunk, encoder.embed(pixels, embedBatchSize), vectors);
            } catch (final RuntimeException chunkError) {
                LOG.warn("Embedding {} new images failed ({}); retrying one by one", chunk.size(),
                        chunkError.toString());
                for (final Candidate candidate : chunk) {
                    try {
                        split(List.of(candidate), encoder.embed(List.of(candidate.pixels()), 1), vectors);
                    } catch (final RuntimeException e) {
                        reject(candidate.record(), EMBED_FAILED.code(), "The model could not embed image '"
                                + candidate.id() + "': " + e);
                    }
                }
            }
        }
        return vectors;
    }

    private void split(final List<Candidate> chunk, final float[] embedded, final Map<String, float[]> into) {
        final int dim = embedded.length / chunk.size();
        for (int i = 0; i < chunk.size(); i++) {
            final float[] vector = new float[dim];
            System.arraycopy(embedded, i * dim, vector, 0, dim);
            into.put(chunk.get(i).id(), vector);
        }
    }

    private void reject(final ConsumerRecord<byte[], byte[]> record, final String reason, final String detail) {
        deadLetters.send(record, reason, detail);
        rejections.add(new Rejection(record.topic(), reason));
    }
}
