package io.npid.bench.trainer;

import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.schemas.event.ImageEncoding;
import io.npid.store.FeatureStore;
import io.npid.store.ImageCompression;
import io.npid.store.IngestBatch;
import io.npid.store.StoreOptions;
import io.npid.store.StoredImage;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageDecoder;
import io.npid.trainer.data.ImageLimits;
import io.npid.trainer.data.ImageResizer;
import io.npid.trainer.data.LabelledImages;
import io.npid.trainer.data.SplitMix64;
import io.npid.trainer.data.SyntheticShapes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Measures what one image costs in the feature store as the trainer stores it (shrunk to the stored side, RocksDB
 * block compression) for three kinds of input: 28x28 grey (Fashion-MNIST), 32x32 RGB (CIFAR-10) and 4000x3000
 * photos sent as JPEG; and, for the photos, the time to decode and shrink one.
 *
 * <p>Run: {@code npid bench images --json F}, or {@code java -cp ... io.npid.bench.trainer.ImageStorageBenchmark
 * [--cifar DIR] [--count N] [--photos N] [--json F]}. The grey images are Fashion-MNIST's where it is installed and
 * the colour ones CIFAR-10's where {@code --cifar} points, else the seeded synthetic shapes (stated in the output).
 * The photos are colour images enlarged to 4000x3000 (bilinear) with sensor-like noise (sigma 4) and encoded as
 * JPEG quality 90: about as compressible as a camera picture, which the machine this runs on does not have.
 *
 * <p>Why one file of this length: one benchmark, its synthetic photo maker and its report, run as one.
 */
public final class ImageStorageBenchmark {

    /**
     * The figures of one kind of input.
     *
     * @param kind what was stored, e.g. "4000x3000 RGB photo (JPEG)"
     * @param source where the pixels came from
     * @param images images stored
     * @param inputSize the model input side assumed
     * @param storedSide the stored shorter side (8/7 of the input size)
     * @param storedShape width x height x channels as stored
     * @param sentBytesPerImage bytes per image on the images topic (RAW pixels or the JPEG file)
     * @param rawBytesPerImage decoded pixels at full resolution
     * @param storedPixelBytesPerImage pixels after the shrink, before compression
     * @param lz4BytesPerImage images column family bytes per image with LZ4 (the default)
     * @param zstdBytesPerImage the same with Zstandard
     * @param decodeAndShrinkMs median time to decode and shrink one image (NaN for RAW input)
     */
    public record Result(
            String kind,
            String source,
            int images,
            int inputSize,
            int storedSide,
            String storedShape,
            double sentBytesPerImage,
            double rawBytesPerImage,
            double storedPixelBytesPerImage,
            double lz4BytesPerImage,
            double zstdBytesPerImage,
            double decodeAndShrinkMs) {}

    private ImageStorageBenchmark() {}

    /**
     * Runs the three measurements.
     *
     * @param cifarDir a CIFAR-10 binary folder, or null for synthetic colour images
     * @param count images of each small kind
     * @param photos photos to generate, decode and store
     * @return one result per kind
     * @throws IOException when a data set cannot be read or a store cannot be written
     */
    public static List<Result> run(final Path cifarDir, final int count, final int photos) throws IOException {
        final Path scratch = Files.createTempDirectory("npid-bench-images");
        try {
            return run(cifarDir, count, photos, scratch);
        } finally {
            try (Stream<Path> paths = Files.walk(scratch)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<Result> run(final Path cifarDir, final int count, final int photos, final Path scratch)
            throws IOException {
        final List<Result> results = new ArrayList<>();
        final boolean fashion = Files.isDirectory(Datasets.FASHION_MNIST_DIR);
        final LabelledImages grey = fashion
                ? Datasets.idx(Datasets.FASHION_MNIST_DIR, Datasets.Split.TRAIN).head(count)
                : SyntheticShapes.generate(count, 1);
        results.add(store(
                "28x28 grey",
                fashion ? "Fashion-MNIST" : "synthetic shapes",
                grey.images(),
                28,
                null,
                scratch.resolve("grey")));
        final boolean cifar = cifarDir != null && Files.isDirectory(cifarDir);
        final List<DecodedImage> colour = cifar
                ? Datasets.cifar10Batches(cifarDir, 1).head(count).images()
                : colourise(SyntheticShapes.generate(count, 2).images());
        results.add(store(
                "32x32 RGB",
                cifar ? "CIFAR-10" : "synthetic shapes, coloured",
                colour,
                32,
                null,
                scratch.resolve("rgb")));
        final List<byte[]> jpegs = new ArrayList<>();
        final Random noise = new Random(7);
        for (int i = 0; i < photos; i++) {
            jpegs.add(jpeg(enlarge(colour.get(i % colour.size()), 4000, 3000, noise)));
        }
        results.add(store(
                "4000x3000 RGB photo (JPEG q90)",
                (cifar ? "CIFAR-10" : "synthetic") + " images enlarged, noise sigma 4",
                null,
                32,
                jpegs,
                scratch.resolve("photo")));
        return results;
    }

    private static Result store(
            final String kind,
            final String source,
            final List<DecodedImage> decoded,
            final int inputSize,
            final List<byte[]> jpegs,
            final Path dir)
            throws IOException {
        final int storedSide = ImageResizer.defaultStoredSide(inputSize);
        final List<DecodedImage> stored = new ArrayList<>();
        final double[] decodeMs = new double[jpegs == null ? 0 : jpegs.size()];
        long sent = 0;
        long raw = 0;
        final int n = jpegs == null ? decoded.size() : jpegs.size();
        for (int i = 0; i < n; i++) {
            final DecodedImage full;
            if (jpegs == null) {
                full = decoded.get(i);
                sent += full.pixels().length;
            } else {
                final long start = System.nanoTime();
                try {
                    full = ImageDecoder.decode(
                            ImageEncoding.JPEG, jpegs.get(i), null, null, null, ImageLimits.DEFAULTS);
                } catch (final io.npid.trainer.data.ImageRejectedException e) {
                    throw new IOException("generated photo " + i + " does not decode: " + e.getMessage(), e);
                }
                stored.add(ImageResizer.shrinkToShorterSide(full, storedSide));
                decodeMs[i] = (System.nanoTime() - start) / 1e6;
                sent += jpegs.get(i).length;
                raw += full.pixels().length;
                continue;
            }
            raw += full.pixels().length;
            stored.add(ImageResizer.shrinkToShorterSide(full, storedSide));
        }
        final long pixels = stored.stream().mapToLong(d -> d.pixels().length).sum();
        final DecodedImage first = stored.get(0);
        Arrays.sort(decodeMs);
        return new Result(
                kind,
                source,
                n,
                inputSize,
                storedSide,
                first.width() + "x" + first.height() + "x" + first.channels(),
                (double) sent / n,
                (double) raw / n,
                (double) pixels / n,
                tableBytes(stored, dir.resolve("lz4"), ImageCompression.LZ4) / (double) n,
                tableBytes(stored, dir.resolve("zstd"), ImageCompression.ZSTD) / (double) n,
                decodeMs.length == 0 ? Double.NaN : decodeMs[decodeMs.length / 2]);
    }

    /** Stores the images as the trainer's ingest does, compacts, and returns the images column family's bytes. */
    private static long tableBytes(
            final List<DecodedImage> images, final Path dir, final ImageCompression compression) {
        final int dim = 128;
        final float[] unit = new float[dim];
        unit[0] = 1f;
        try (FeatureStore store =
                FeatureStore.open(dir, StoreOptions.defaults(dim).withImageCompression(compression))) {
            for (int start = 0; start < images.size(); start += 256) {
                final IngestBatch batch = store.newIngest();
                for (int i = start; i < Math.min(images.size(), start + 256); i++) {
                    final DecodedImage d = images.get(i);
                    batch.put(
                            new StoredImage(
                                    String.format("img-%07d", i), d.pixels(), d.width(), d.height(), d.channels(), 0L),
                            unit);
                }
                batch.commit();
            }
            store.compact();
            return store.diskUsage().tableBytes("images");
        }
    }

    private static List<DecodedImage> colourise(final List<DecodedImage> greys) {
        final List<DecodedImage> out = new ArrayList<>(greys.size());
        final SplitMix64 rng = new SplitMix64(3);
        for (final DecodedImage g : greys) {
            final byte[] px = new byte[g.pixels().length * 3];
            final float[] tint = {0.5f + rng.nextFloat() / 2, 0.5f + rng.nextFloat() / 2, 0.5f + rng.nextFloat() / 2};
            for (int i = 0; i < g.pixels().length; i++) {
                for (int c = 0; c < 3; c++) {
                    px[3 * i + c] = (byte) Math.round((g.pixels()[i] & 0xFF) * tint[c]);
                }
            }
            out.add(new DecodedImage(g.width(), g.height(), 3, px));
        }
        return out;
    }

    /** Bilinear enlargement plus Gaussian noise, as a camera picture's fine grain. */
    private static BufferedImage enlarge(final DecodedImage small, final int w, final int h, final Random noise) {
        final BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        final int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            final double sy = Math.max(0, Math.min(small.height() - 1.001, (y + 0.5) * small.height() / h - 0.5));
            final int y0 = (int) sy;
            final double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                final double sx = Math.max(0, Math.min(small.width() - 1.001, (x + 0.5) * small.width() / w - 0.5));
                final int x0 = (int) sx;
                final double fx = sx - x0;
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    final int ch = Math.min(c, small.channels() - 1);
                    final double v = (1 - fy) * ((1 - fx) * small.value(y0, x0, ch) + fx * small.value(y0, x0 + 1, ch))
                            + fy * ((1 - fx) * small.value(y0 + 1, x0, ch) + fx * small.value(y0 + 1, x0 + 1, ch))
                            + 4 * noise.nextGaussian();
                    rgb = rgb << 8 | Math.max(0, Math.min(255, (int) Math.round(v)));
                }
                row[x] = rgb;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    private static byte[] jpeg(final BufferedImage image) {
        final javax.imageio.ImageWriter writer =
                ImageIO.getImageWritersByFormatName("jpeg").next();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            final javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * Prints one line per kind.
     *
     * @param results the figures
     * @return the lines
     */
    public static List<String> describe(final List<Result> results) {
        final List<String> lines = new ArrayList<>();
        for (final Result r : results) {
            lines.add(String.format(
                    java.util.Locale.ROOT,
                    "%-30s stored as %-9s %,9.0f B sent, %,11.0f B decoded, "
                            + "%,6.0f B pixels, %,6.0f B stored (lz4), %,6.0f B (zstd)%s  [%s, %d images]",
                    r.kind(),
                    r.storedShape(),
                    r.sentBytesPerImage(),
                    r.rawBytesPerImage(),
                    r.storedPixelBytesPerImage(),
                    r.lz4BytesPerImage(),
                    r.zstdBytesPerImage(),
                    Double.isNaN(r.decodeAndShrinkMs())
                            ? ""
                            : String.format(java.util.Locale.ROOT, ", decode+shrink %.0f ms", r.decodeAndShrinkMs()),
                    r.source(),
                    r.images()));
        }
        return lines;
    }

    /**
     * Command-line entry.
     *
     * @param args [--cifar DIR] [--count N] [--photos N] [--json FILE]
     * @throws IOException when a data set or the scratch directory cannot be used
     */
    public static void main(final String[] args) throws IOException {
        final BenchArgs a = BenchArgs.parse(args, Map.of("--cifar", "", "--count", "5000", "--photos", "40"));
        final Path cifar = a.get("--cifar").isEmpty() ? null : Path.of(a.get("--cifar"));
        final List<Result> results = run(cifar, a.getInt("--count"), a.getInt("--photos"));
        describe(results).forEach(System.out::println);
        if (a.json() != null) {
            BenchJson.write(Map.of("results", results), a.json());
        }
    }
}
