package io.npid.trainer.stream;

import static io.npid.schemas.DeadLetterReason.EMBED_FAILED;

import io.npid.store.FeatureStore;
import io.npid.store.IngestBatch;
import io.npid.store.StoredImage;
import io.npid.trainer.data.DecodedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Turns one poll of the images and labels topics into one atomic feature-store ingest: the exactly-once step.
 *
 * <p>{@link PollReader} validates the poll (rejected records go to dead-letters) and shrinks the accepted images.
 * Accepted images with a new id are embedded, once, by the ingest thread's copy of the latest weights
 * ({@link IngestEncoder}: their first bank row, so they are queryable at once); an id already stored keeps its row
 * and its trained bank vector, only its image is replaced. The images, the labels and the next offset of every
 * polled partition (past its rejected records too, even when the poll held no good one) are then committed as ONE
 * store write, after the dead letters were acknowledged. A crash before the commit re-consumes the whole poll
 * (nothing is counted yet; a rejected record of it is dead-lettered once more); a crash after it resumes behind it
 * (nothing is consumed twice, no bad record is read again), so the bank holds exactly one row per distinct id
 * acknowledged by the broker.
 *
 * <p>Each image's row is looked up once, before the embedding; the commit returns the rows of the put images, which
 * tell new rows (at or above the size before the commit) from re-sent ones and which rows got a label. Under the lock
 * only the rows other ingest threads created since the lookup are checked (none with one thread): another thread may
 * have stored the same id meanwhile (a custom partitioner).
 *
 * <p>The commit, the publication of the new rows' features and the hand-over of the result to the training thread
 * happen under one lock shared by every ingest thread and the checkpoint: rows reach the learner in row order, a
 * row's first feature is sent before any trained one, and a checkpoint's snapshot sees whole ingests. Used by one
 * ingest thread.
 */
final class Ingestor {
    private final FeatureStore store;
    private final PollReader reader;
    private final IngestEncoder encoder;
    private final Output output;

    /**
     * Where committed ingests go: shared by every ingest thread but the publisher, which is the thread's own.
     *
     * @param commitLock held for the commit, the publication and the hand-over (the checkpoint holds it too)
     * @param toTraining takes each result for the training thread
     * @param features publishes the new rows' first features
     * @param clockMs the clock of the stored images' time
     */
    record Output(Object commitLock, Consumer<Result> toTraining, FeaturePublisher features, LongSupplier clockMs) {}

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
    record Result(
            int records,
            int images,
            int[] newRows,
            float[] newVectors,
            int labels,
            int[] relabelledRows,
            List<PollReader.Rejection> rejections) {}

    Ingestor(final FeatureStore store, final PollReader reader, final IngestEncoder encoder, final Output output) {
        this.store = store;
        this.reader = reader;
        this.encoder = encoder;
        this.output = output;
    }

    /**
     * Ingests one poll and hands the result over (see the class comment).
     *
     * @param records the poll
     */
    void ingest(final ConsumerRecords<byte[], byte[]> records) {
        encoder.refresh();
        final PollReader.Poll poll = reader.read(records);
        // read before the lookups: rows created from here on are checked again under the lock
        final int sizeAtLookup = store.size();
        final List<PollReader.Candidate> fresh = new ArrayList<>();
        for (final PollReader.Candidate candidate : poll.images().values()) {
            if (store.rowOf(candidate.id()) < 0) {
                fresh.add(candidate);
            }
        }
        // Embedding is the slow part: outside the lock, so ingest threads embed in parallel with each other.
        final Map<String, float[]> vectors = encoder.embed(
                fresh,
                (candidate, e) -> reader.reject(
                        poll,
                        candidate.record(),
                        EMBED_FAILED.code(),
                        "The model could not embed image '" + candidate.id() + "': " + e));
        final Set<String> failed = new HashSet<>();
        for (final PollReader.Candidate candidate : fresh) {
            if (!vectors.containsKey(candidate.id())) {
                failed.add(candidate.id());
            }
        }
        synchronized (output.commitLock()) {
            commit(poll, vectors, failed, sizeAtLookup);
        }
    }

    private void commit(
            final PollReader.Poll poll,
            final Map<String, float[]> vectors,
            final Set<String> failed,
            final int sizeAtLookup) {
        // Another ingest thread may have stored a looked-up id since: it is no longer new (no vector of ours).
        for (int row = sizeAtLookup; row < store.size(); row++) {
            final String id = store.idOf(row);
            vectors.remove(id);
            failed.remove(id);
        }
        final IngestBatch batch = store.newIngest();
        final long now = output.clockMs().getAsLong();
        final List<String> put = new ArrayList<>();
        for (final PollReader.Candidate candidate : poll.images().values()) {
            if (failed.contains(candidate.id())) {
                continue;
            }
            final DecodedImage image = candidate.pixels();
            batch.put(
                    new StoredImage(
                            candidate.id(), image.pixels(), image.width(), image.height(), image.channels(), now),
                    vectors.get(candidate.id()));
            put.add(candidate.id());
        }
        poll.labels().forEach(batch::label);
        poll.offsets().forEach(batch::offset);
        reader.acknowledgeRejections(poll);
        final int before = store.size();
        final int[] rows = batch.commit();
        if (store.size() - before != vectors.size()) {
            throw new IllegalStateException("Ingest created " + (store.size() - before) + " rows for " + vectors.size()
                    + " new ids; is another process writing to the store " + store.path() + "?");
        }
        final int dim = store.dimension();
        final int[] newRows = new int[vectors.size()];
        final float[] newVectors = new float[newRows.length * dim];
        final List<PendingFeatures.Row> published = new ArrayList<>();
        final LatestWeights.Snapshot weights = encoder.current();
        final List<Integer> relabelled = new ArrayList<>();
        for (int i = 0, created = 0; i < rows.length; i++) {
            final float[] vector = vectors.get(put.get(i));
            if (vector == null && poll.labels().containsKey(put.get(i))) {
                relabelled.add(rows[i]);
            }
            if (vector != null) {
                // new rows are numbered in put order: the i-th new id of the batch got row before + created
                System.arraycopy(vector, 0, newVectors, created * dim, dim);
                newRows[created] = rows[i];
                published.add(new PendingFeatures.Row(rows[i], vector, weights.step(), weights.modelVersion()));
                created++;
            }
        }
        for (final Map.Entry<String, String> label : poll.labels().entrySet()) {
            if (!poll.images().containsKey(label.getKey())) {
                // a label without its image in this poll: a stored row, or an id still to come
                final int row = store.rowOf(label.getKey());
                if (row >= 0) {
                    relabelled.add(row);
                }
            }
        }
        // Queryable at once: the new rows' features go out now, not with the training thread's next publication.
        output.features().publish(published);
        output.toTraining()
                .accept(new Result(
                        poll.records(),
                        put.size(),
                        newRows,
                        newVectors,
                        poll.labels().size(),
                        relabelled.stream().mapToInt(Integer::intValue).toArray(),
                        List.copyOf(poll.rejections())));
    }
}
