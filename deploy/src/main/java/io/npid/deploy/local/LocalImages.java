package io.npid.deploy.local;

import io.npid.deploy.client.InputImage;
import io.npid.deploy.client.SkippedImageException;
import io.npid.deploy.report.ReportImage;
import io.npid.schemas.event.Image;
import io.npid.trainer.data.DecodedImage;

/**
 * The training or test images of a local run: decoded pixels held in memory (IDX, CIFAR-10, synthetic) or image
 * files, which stay on disk until they are sent and are sent as they are.
 */
public interface LocalImages {

    /** @return how many images */
    int size();

    /**
     * The class index of an image.
     *
     * @param index position in this set
     * @return the label, 0-based into the data set's class names
     */
    int label(int index);

    /**
     * The id an image is ingested under.
     *
     * @param index position in this set
     * @return the id
     */
    String id(int index);

    /**
     * What a client sends for an image: its pixels (RAW) or its file's bytes, with its class.
     *
     * @param index position in this set
     * @return the image to send
     */
    InputImage input(int index);

    /**
     * The Avro image a client sends for an image, for a query.
     *
     * @param index position in this set
     * @param maxBytes the largest image npid accepts
     * @return the image
     * @throws IllegalStateException when the image cannot be sent (a file too large or unreadable)
     */
    default Image image(final int index, final int maxBytes) {
        try {
            return input(index).read(maxBytes);
        } catch (SkippedImageException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * A picture of an image for the report, at most {@value LocalFiles#THUMBNAIL_SIDE} pixels a side for files.
     *
     * @param index position in this set
     * @return the picture
     */
    ReportImage thumbnail(int index);

    /**
     * The decoded pixels of an image (a file is read and decoded now, at full size).
     *
     * @param index position in this set
     * @return the pixels
     * @throws IllegalStateException when a file cannot be decoded
     */
    DecodedImage decode(int index);

    /**
     * The first images.
     *
     * @param n how many (all of them when more)
     * @return the prefix
     */
    LocalImages head(int n);
}
