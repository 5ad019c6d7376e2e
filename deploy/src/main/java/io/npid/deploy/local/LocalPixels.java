package io.npid.deploy.local;

import io.npid.deploy.client.InputImage;
import io.npid.deploy.report.ReportImage;
import io.npid.schemas.event.ImageEncoding;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.LabelledImages;
import java.util.Locale;

/**
 * Decoded images held in memory (IDX, CIFAR-10, synthetic), sent as RAW pixels under ids {@code <prefix>00042}.
 *
 * @param images the images and labels
 * @param idPrefix the ids' prefix, e.g. {@code train-}
 * @param source the data set's name, for messages
 */
public record LocalPixels(LabelledImages images, String idPrefix, String source) implements LocalImages {

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int label(final int index) {
        return images.labels()[index];
    }

    @Override
    public String id(final int index) {
        return String.format(Locale.ROOT, "%s%05d", idPrefix, index);
    }

    @Override
    public InputImage input(final int index) {
        final int label = label(index);
        return new InputImage.Pixels(
                id(index),
                source + " #" + index,
                images.images().get(index),
                ImageEncoding.RAW,
                label,
                images.classNames()[label]);
    }

    @Override
    public ReportImage thumbnail(final int index) {
        final DecodedImage image = images.images().get(index);
        return new ReportImage(image.width(), image.height(), image.channels(), image.pixels());
    }

    @Override
    public DecodedImage decode(final int index) {
        return images.images().get(index);
    }

    @Override
    public LocalPixels head(final int n) {
        return new LocalPixels(images.head(n), idPrefix, source);
    }
}
