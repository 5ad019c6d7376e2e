package io.npid.deploy.local;

import io.npid.deploy.client.ImageFormat;
import io.npid.deploy.client.InputImage;
import io.npid.deploy.report.ReportImage;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageDecoder;
import io.npid.trainer.data.ImageLimits;
import io.npid.trainer.data.ImageRejectedException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Labelled image files of a local run: only their paths are held; each file is read when it is sent (as it is)
 * and decoded only for the report's thumbnails, subsampled while decoding so a camera photo never fills the heap.
 *
 * @param files the files with their ids and classes, each labelled
 */
public record LocalFiles(List<InputImage.File> files) implements LocalImages {
    /** The longest side of a report thumbnail: the report draws 64-pixel tiles. */
    static final int THUMBNAIL_SIDE = 64;

    private static final int PLACEHOLDER_GREY = 0x80;

    /** Copies the list. */
    public LocalFiles {
        files = List.copyOf(files);
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public int label(final int index) {
        return files.get(index).label();
    }

    @Override
    public String id(final int index) {
        return files.get(index).id();
    }

    @Override
    public InputImage input(final int index) {
        return files.get(index);
    }

    @Override
    public ReportImage thumbnail(final int index) {
        try (ImageInputStream in =
                ImageIO.createImageInputStream(files.get(index).path().toFile())) {
            final Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return placeholder();
            }
            final ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                final int side = Math.max(reader.getWidth(0), reader.getHeight(0));
                final ImageReadParam param = reader.getDefaultReadParam();
                // decode every step-th pixel: a 4000x3000 photo becomes about 125x94 before it is scaled
                final int step = Math.max(1, side / (2 * THUMBNAIL_SIDE));
                param.setSourceSubsampling(step, step, 0, 0);
                return scaled(reader.read(0, param));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return placeholder(); // e.g. a CMYK JPEG the JDK cannot decode: the report shows a grey tile
        }
    }

    @Override
    public DecodedImage decode(final int index) {
        final InputImage.File file = files.get(index);
        try {
            final byte[] data = Files.readAllBytes(file.path());
            return ImageDecoder.decode(
                    ImageFormat.sniff(data)
                            .orElseThrow(
                                    () -> new IllegalStateException(file.path() + " is neither a PNG nor a JPEG file")),
                    data,
                    null,
                    null,
                    null,
                    ImageLimits.DEFAULTS);
        } catch (IOException | ImageRejectedException e) {
            throw new IllegalStateException(file.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public LocalFiles head(final int n) {
        return new LocalFiles(files.subList(0, Math.min(n, files.size())));
    }

    private static ReportImage scaled(final BufferedImage image) {
        final double scale = Math.min(1.0, (double) THUMBNAIL_SIDE / Math.max(image.getWidth(), image.getHeight()));
        final int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        final int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        final BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = rgb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        final byte[] pixels = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                final int p = rgb.getRGB(x, y);
                final int o = (y * w + x) * 3;
                pixels[o] = (byte) (p >>> 16);
                pixels[o + 1] = (byte) (p >>> 8);
                pixels[o + 2] = (byte) p;
            }
        }
        return new ReportImage(w, h, 3, pixels);
    }

    private static ReportImage placeholder() {
        final byte[] grey = new byte[THUMBNAIL_SIDE * THUMBNAIL_SIDE];
        Arrays.fill(grey, (byte) PLACEHOLDER_GREY);
        return new ReportImage(THUMBNAIL_SIDE, THUMBNAIL_SIDE, 1, grey);
    }
}
