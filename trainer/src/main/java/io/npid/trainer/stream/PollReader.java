package io.npid.trainer.stream;

import io.npid.trainer.data.ColourDropNotice;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageResizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * The validation half of ingest: reads one poll of the images and labels topics into what may be stored, and sends
 * every rejected record to dead-letters (once per reading; a crash before the commit re-reads the poll).
 *
 * <p>An accepted image is shrunk to the stored size ({@code npid.image.store.size}) before anything else sees it, so
 * that a poll of large photos never holds them at full resolution. Within a poll the latest image of an id wins, as
 * it would across polls. The offsets are those past each partition's last record, good or bad: a rejected record
 * is never read again once they are committed. Used by one ingest thread.
 */
final class PollReader {
    private final InputRecordValidator validator;
    private final DeadLetterSink deadLetters;
    private final String imagesTopic;
    private final int inputChannels;
    private final int storedSide;
    private final ColourDropNotice colourDrop = new ColourDropNotice("To learn from colour, train a new model with "
            + StreamingTrainerConfig.IMAGE_CHANNELS_CONFIG + "=3 in a new " + StreamingTrainerConfig.DATA_DIR_CONFIG
            + " (a model's input cannot change).");

    /**
     * An accepted image with its pixels as stored (shrunk to the stored size: what every later embedding sees).
     *
     * @param record the record it came from (for a dead letter if the model cannot embed it)
     * @param id the image id
     * @param pixels the shrunk pixels
     */
    record Candidate(ConsumerRecord<byte[], byte[]> record, String id, DecodedImage pixels) {}

    /**
     * A record sent to dead-letters.
     *
     * @param topic the topic it was read from
     * @param reason the reason code
     */
    record Rejection(String topic, String reason) {}

    /**
     * What one poll holds once read.
     *
     * @param records records consumed (good and bad)
     * @param images accepted images by id, in poll order of their latest record
     * @param labels class names by id (from images and the labels topic)
     * @param offsets the next offset of every polled partition
     * @param rejections the records sent to dead-letters so far (the embedding may add to it)
     */
    record Poll(
            int records,
            Map<String, Candidate> images,
            Map<String, String> labels,
            Map<TopicPartition, Long> offsets,
            List<Rejection> rejections) {}

    PollReader(
            final InputRecordValidator validator,
            final DeadLetterSink deadLetters,
            final String imagesTopic,
            final int inputChannels,
            final int storedSide) {
        this.validator = validator;
        this.deadLetters = deadLetters;
        this.imagesTopic = imagesTopic;
        this.inputChannels = inputChannels;
        this.storedSide = storedSide;
    }

    /**
     * Validates and shrinks one poll, dead-lettering what is rejected.
     *
     * @param records the poll
     * @return what may be stored
     */
    Poll read(final ConsumerRecords<byte[], byte[]> records) {
        final Poll poll = new Poll(
                records.count(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new ArrayList<>());
        for (final TopicPartition partition : records.partitions()) {
            final boolean isImages = partition.topic().equals(imagesTopic);
            long next = -1;
            for (final ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                next = record.offset() + 1;
                final InputRecordValidator.Verdict verdict =
                        isImages ? validator.image(record) : validator.label(record);
                if (verdict instanceof InputRecordValidator.AcceptedImage image) {
                    // Latest wins within a poll, as it would across polls (a re-sent id replaces the image).
                    poll.images().remove(image.id());
                    colourDrop.observe(image.image(), inputChannels, "Image '" + image.id() + "'");
                    poll.images()
                            .put(
                                    image.id(),
                                    new Candidate(
                                            record,
                                            image.id(),
                                            ImageResizer.shrinkToShorterSide(image.image(), storedSide)));
                    if (image.className() != null) {
                        poll.labels().put(image.id(), image.className());
                    }
                } else if (verdict instanceof InputRecordValidator.AcceptedLabel label) {
                    poll.labels().put(label.id(), label.className());
                } else if (verdict instanceof InputRecordValidator.Rejected bad) {
                    reject(poll, record, bad.reason(), bad.detail());
                }
            }
            if (next >= 0) {
                // the offset past the poll's last record, good or bad: a rejected record is never read again
                poll.offsets().put(partition, next);
            }
        }
        return poll;
    }

    /**
     * Sends a record of the poll to dead-letters and counts it.
     *
     * @param poll the poll it belongs to
     * @param record the record
     * @param reason the reason code
     * @param detail what was wrong
     */
    void reject(
            final Poll poll, final ConsumerRecord<byte[], byte[]> record, final String reason, final String detail) {
        deadLetters.send(record, reason, detail);
        poll.rejections().add(new Rejection(record.topic(), reason));
    }

    /**
     * Waits until the poll's dead letters are acknowledged: before its offsets are committed, since the rejected
     * records are never read again after that. (A poll without any skips it: it would wait for every feature in
     * flight on the shared producer.)
     *
     * @param poll the poll
     */
    void acknowledgeRejections(final Poll poll) {
        if (!poll.rejections().isEmpty()) {
            deadLetters.flush();
        }
    }
}
