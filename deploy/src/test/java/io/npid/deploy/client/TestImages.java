package io.npid.deploy.client;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes real PNG and JPEG files for tests: a smooth two-colour pattern with a little seeded noise, so files of one
 * colour look alike and every file differs.
 *
 * <p>The CMYK JPEG is the checked-in {@code images/cmyk.jpg} (the JDK cannot write one): 48x40, made with
 * ImageMagick 6.9.11 by {@code convert -size 48x40 gradient:orange-navy -colorspace CMYK -quality 90 cmyk.jpg}.
 */
public final class TestImages {
    private TestImages() {}

    /**
     * Writes a PNG.
     *
     * @param file where
     * @param width width
     * @param height height
     * @param type {@link BufferedImage#TYPE_BYTE_GRAY}, {@link BufferedImage#TYPE_INT_RGB} or
     *     {@link BufferedImage#TYPE_INT_ARGB}
     * @param rgb the pattern's main colour, 0xRRGGBB
     * @param seed the noise's seed
     * @return the file
     */
    public static Path png(
            final Path file, final int width, final int height, final int type, final int rgb, final long seed) {
        write(pattern(width, height, type, rgb, seed), "png", file, false);
        return file;
    }

    /**
     * Writes a JPEG (quality 0.85).
     *
     * @param file where
     * @param width width
     * @param height height
     * @param grey one component instead of three
     * @param progressive progressive instead of baseline
     * @param rgb the pattern's main colour, 0xRRGGBB
     * @param seed the noise's seed
     * @return the file
     */
    public static Path jpeg(
            final Path file,
            final int width,
            final int height,
            final boolean grey,
            final boolean progressive,
            final int rgb,
            final long seed) {
        write(
                pattern(width, height, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB, rgb, seed),
                "jpeg",
                file,
                progressive);
        return file;
    }

    /**
     * Copies the checked-in CMYK JPEG.
     *
     * @param file where
     * @return the file
     */
    public static Path cmyk(final Path file) {
        try (InputStream in = TestImages.class.getResourceAsStream("/images/cmyk.jpg")) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage pattern(
            final int width, final int height, final int type, final int rgb, final long seed) {
        final BufferedImage image = new BufferedImage(width, height, type);
        final Random random = new Random(seed);
        final int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // the main colour fading to its complement across the picture, plus +-8 of noise
                final double t = (double) (x + y) / (width + height);
                final int noise = random.nextInt(17) - 8;
                final int r = mix((rgb >> 16) & 0xff, t, noise);
                final int g = mix((rgb >> 8) & 0xff, t, noise);
                final int b = mix(rgb & 0xff, t, noise);
                final int alpha = type == BufferedImage.TYPE_INT_ARGB ? 128 + (x * 127 / Math.max(1, width - 1)) : 255;
                row[x] = (alpha << 24) | (r << 16) | (g << 8) | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    private static int mix(final int channel, final double t, final int noise) {
        return Math.max(0, Math.min(255, (int) Math.round(channel * (1 - t) + (255 - channel) * t) + noise));
    }

    private static void write(
            final BufferedImage image, final String format, final Path file, final boolean progressive) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            final ImageWriter writer =
                    ImageIO.getImageWritersByFormatName(format).next();
            final ImageWriteParam param = writer.getDefaultWriteParam();
            if ("jpeg".equals(format)) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.85f);
                if (progressive) {
                    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
                }
            }
            Files.deleteIfExists(file);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
