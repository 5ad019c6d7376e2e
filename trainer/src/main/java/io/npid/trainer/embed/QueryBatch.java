package io.npid.trainer.embed;

import static io.npid.schemas.DeadLetterReason.EMBED_FAILED;

import io.npid.trainer.data.ColourDropNotice;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageResizer;
import io.npid.trainer.stream.DeadLetterSink;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The queries of one poll: bad ones are answered with ERROR and dead-lettered at once, good ones are embedded in
 * batches of at most {@code maxBatch} images and sent as QueryVectors.
 *
 * <p>If the engine fails on a batch, its images are embedded one by one so that one odd image cannot take the
 * others' answers down; the image that still fails gets an ERROR answer and a dead letter ({@code embed-failed}).
 */
final class QueryBatch {
    private final QueryValidator validator;
    private final QueryAnswers answers;
    private final DeadLetterSink deadLetters;
    private final EmbedderListener listener;
    private static final ColourDropNotice COLOUR_DROP = new ColourDropNotice(
            "The trainer decides the model's " + "input: train with npid.image.channels=3 to classify colour.");

    private final LoadedModel model;
    private final int maxBatch;
    private final List<QueryValidator.Valid> valid = new ArrayList<>();
    private final List<ConsumerRecord<byte[], byte[]>> validRecords = new ArrayList<>();
    private int vectors;
    private int errors;
    private long embedNanos;

    QueryBatch(
            final QueryValidator validator,
            final QueryAnswers answers,
            final DeadLetterSink deadLetters,
            final EmbedderListener listener,
            final LoadedModel model,
            final int maxBatch) {
        this.validator = validator;
        this.answers = answers;
        this.deadLetters = deadLetters;
        this.listener = listener;
        this.model = model;
        this.maxBatch = maxBatch;
    }

    void add(final ConsumerRecord<byte[], byte[]> record) {
        final QueryValidator.Verdict verdict = validator.check(record);
        if (verdict instanceof QueryValidator.Invalid bad) {
            reject(
                    record,
                    bad.queryId(),
                    bad.replyKey(),
                    bad.requestId(),
                    bad.queryTimestampMs(),
                    bad.reason(),
                    bad.detail());
        } else if (verdict instanceof QueryValidator.Valid good) {
            if (model == null) {
                // Not the client's fault: answer, but do not dead-letter a good query.
                answers.error(
                        good.queryId(),
                        good.replyKey(),
                        good.requestId(),
                        good.queryTimestampMs(),
                        EmbedderService.NO_MODEL,
                        "no model has been published on the checkpoints topic yet",
                        -1);
                errors++;
            } else {
                // shrunk at once, as the trainer stores images: a batch of photos is never held at full size
                final int side = model.encoder().spec().imageSize();
                COLOUR_DROP.observe(
                        good.image(), model.encoder().spec().channels(), "Query image '" + good.queryId() + "'");
                valid.add(new QueryValidator.Valid(
                        good.queryId(),
                        good.requestId(),
                        ImageResizer.shrinkToShorterSide(good.image(), ImageResizer.defaultStoredSide(side)),
                        good.k(),
                        good.replyKey(),
                        good.queryTimestampMs()));
                validRecords.add(record);
            }
        }
    }

    void embedAndSend() {
        for (int start = 0; start < valid.size(); start += maxBatch) {
            final int end = Math.min(valid.size(), start + maxBatch);
            final List<QueryValidator.Valid> chunk = valid.subList(start, end);
            final List<DecodedImage> images =
                    chunk.stream().map(QueryValidator.Valid::image).toList();
            try {
                send(chunk, embed(images));
            } catch (final RuntimeException chunkError) {
                for (int i = start; i < end; i++) {
                    final QueryValidator.Valid query = valid.get(i);
                    try {
                        send(List.of(query), embed(List.of(query.image())));
                    } catch (final RuntimeException e) {
                        reject(
                                validRecords.get(i),
                                query.queryId(),
                                query.replyKey(),
                                query.requestId(),
                                query.queryTimestampMs(),
                                EMBED_FAILED.code(),
                                "The model could not embed the query image: " + e);
                    }
                }
            }
        }
    }

    private float[] embed(final List<DecodedImage> images) {
        final long started = System.nanoTime();
        try {
            return model.encoder().embed(images);
        } finally {
            embedNanos += System.nanoTime() - started;
        }
    }

    private void send(final List<QueryValidator.Valid> queries, final float[] embedded) {
        final int dim = embedded.length / queries.size();
        for (int i = 0; i < queries.size(); i++) {
            final float[] vector = new float[dim];
            System.arraycopy(embedded, i * dim, vector, 0, dim);
            answers.vector(queries.get(i), vector, model.version());
            vectors++;
        }
    }

    private void reject(
            final ConsumerRecord<byte[], byte[]> record,
            final String queryId,
            final String replyKey,
            final String requestId,
            final long sentMs,
            final String reason,
            final String detail) {
        if (queryId != null) {
            answers.error(queryId, replyKey, requestId, sentMs, reason, detail, model == null ? -1 : model.version());
            errors++;
        }
        deadLetters.send(record, reason, detail);
        listener.onRejected(record.topic(), reason);
    }

    int vectors() {
        return vectors;
    }

    int errors() {
        return errors;
    }

    long embedNanos() {
        return embedNanos;
    }
}
