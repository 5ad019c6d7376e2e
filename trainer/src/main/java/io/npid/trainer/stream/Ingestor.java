package io.npid.trainer.stream;

import io.npid.store.FeatureStore;
import io.npid.store.IngestBatch;
import io.npid.store.StoredImage;
import io.npid.trainer.data.ColourDropNotice;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageResizer;
import io.npid.trainer.train.NpidLearner;
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
 * ({@code npid.image.store.size}) before anything else sees it. Accepted images with a new id are embedded by
 * the current model (their first bank row, so they are queryable at once); an id already stored keeps its row and
 * its trained bank vector, only its image is replaced. The images, the labels and the next offset of every polled
 * partition are then committed as ONE store write, after the dead letters were acknowledged. A crash before the
 * commit re-consumes the whole poll (nothing is counted yet); a crash after it resumes behind it (nothing is
 * consumed twice), so the bank holds exactly one row per distinct id acknowledged by the broker.
 * Used by the training thread only.
 */
final class Ingestor {
    /** An image the model could not embed (a programming or engine error, not a producer's): dead-lettered. */
    static final String EMBED_FAILED = "embed-failed";

    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);

    private final FeatureStore store;
    private final NpidLearner learner;
    private final InputRecordValidator validator;
    private final DeadLetterSink deadLetters;
    private final TrainerListener listener;
    private final String imagesTopic;
    private final int embedBatchSize;
    private final int storedSide;
    private final LongSupplier clockMs;
    private final ColourDropNotice colourDrop = new ColourDropNotice("To learn from colour, train a new model with "
            + StreamingTrainerConfig.IMAGE_CHANNELS_CONFIG + "=3 in a new " + StreamingTrainerConfig.DATA_DIR_CONFIG
            + " (a model's input cannot change).");

    /**
     * What one ingest did.
     *
     * @param images accepted images (distinct ids of the poll)
     * @param newRows rows created for new ids, ascending
     * @param newVectors their initial bank vectors, newRows.length * dim
     * @param labels labels (class names) stored
     * @param relabelledRows existing rows that got a label in this ingest
     * @param rejected records sent to dead-letters
     */
    record Result(int images, int[] newRows, float[] newVectors, int labels, int[] relabelledRows, int rejected) {
    }

    /**
     * An accepted image with its pixels as stored: shrunk to the stored size (what every later embedding sees), so
     * that a poll of large photos never holds them at full resolution.
     */
    private record Candidate(ConsumerRecord<byte[], byte[]> record, String id, DecodedImage pixels) {
    }

    Ingestor(final FeatureStore store, final NpidLearner learner, final InputRecordValidator validator,
             final DeadLetterSink deadLetters, final TrainerListener listener, final String imagesTopic,
             final int embedBatchSize, final int storedSide, final LongSupplier clockMs) {
        this.store = store;
        this.learner = learner;
        this.validator = validator;
        this.deadLetters = deadLetters;
        this.listener = listener;
        this.imagesTopic = imagesTopic;
        this.embedBatchSize = embedBatchSize;
        this.storedSide = storedSide;
        this.clockMs = clockMs;
    }

    Result ingest(final ConsumerRecords<byte[], byte[]> records) {
        final Map<String, Candidate> images = new LinkedHashMap<>();
        final Map<String, String> labels = new LinkedHashMap<>();
        final Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        int rejected = 0;
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
                    colourDrop.observe(image.image(), learner.inputChannels(), "Image '" + image.id() + "'");
                    images.put(image.id(), new Candidate(record, image.id(),
                            ImageResizer.shrinkToShorterSide(image.image(), storedSide)));
                    if (image.className() != null) {
                        labels.put(image.id(), image.className());
                    }
                } else if (verdict instanceof InputRecordValidator.AcceptedLabel label) {
                    labels.put(label.id(), label.className());
                } else if (verdict instanceof InputRecordValidator.Rejected bad) {
                    reject(record, bad.reason(), bad.detail());
                    rejected++;
                }
            }
            if (next >= 0) {
                offsets.put(partition, next);
            }
        }
        final List<Candidate> fresh = new ArrayList<>();
        for (final Candidate candidate : images.values()) {
            if (store.rowOf(candidate.id()) < 0) {
                fresh.add(candidate);
            }
        }
        final Map<String, float[]> vectors = embed(fresh);
        rejected += fresh.size() - vectors.size();

        final IngestBatch batch = store.newIngest();
        final long now = clockMs.getAsLong();
        int accepted = 0;
        for (final Candidate candidate : images.values()) {
            final String id = candidate.id();
            final boolean isNew = store.rowOf(id) < 0;
            if (isNew && !vectors.containsKey(id)) {
                continue;
            }
            final DecodedImage image = candidate.pixels();
            batch.put(new StoredImage(id, image.pixels(), image.width(), image.height(), image.channels(), now),
                    isNew ? vectors.get(id) : null);
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
        // Dead letters first: once the offsets are committed the rejected records are never read again.
        deadLetters.flush();
        final int before = store.size();
        batch.commit();
        final int created = store.size() - before;
        if (created != vectors.size()) {
            throw new IllegalStateException("Ingest created " + created + " rows for " + vectors.size()
                    + " new ids; is another process writing to the store " + store.path() + "?");
        }
        final int dim = store.dimension();
        final int[] newRows = new int[created];
        final float[] newVectors = new float[created * dim];
        for (int i = 0; i < created; i++) {
            newRows[i] = before + i;
            final float[] vector = vectors.get(store.idOf(before + i));
            System.arraycopy(vector, 0, newVectors, i * dim, dim);
        }
        return new Result(accepted, newRows, newVectors, labels.size(),
                relabelled.stream().mapToInt(Integer::intValue).toArray(), rejected);
    }

    /** Embeds new images in batches; an image the engine fails on is dead-lettered instead of stopping ingest. */
    private Map<String, float[]> embed(final List<Candidate> fresh) {
        final Map<String, float[]> vectors = new LinkedHashMap<>();
        for (int start = 0; start < fresh.size(); start += embedBatchSize) {
            final List<Candidate> chunk = fresh.subList(start, Math.min(fresh.size(), start + embedBatchSize));
            try {
                final List<DecodedImage> pixels = chunk.stream().map(Candidate::pixels).toList();
                split(chunk, learner.embed(pixels, embedBatchSize), vectors);
            } catch (final RuntimeException chunkError) {
                LOG.warn("Embedding {} new images failed ({}); retrying one by one", chunk.size(),
                        chunkError.toString());
                for (final Candidate candidate : chunk) {
                    try {
                        split(List.of(candidate), learner.embed(List.of(candidate.pixels())), vectors);
                    } catch (final RuntimeException e) {
                        reject(candidate.record(), EMBED_FAILED, "The model could not embed image '"
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
        listener.onRejected(record.topic(), reason);
    }
}
