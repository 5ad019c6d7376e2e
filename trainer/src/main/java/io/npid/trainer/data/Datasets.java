package io.npid.trainer.data;

import io.npid.schemas.event.ImageEncoding;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the data sets npid-stream trains and evaluates on: MNIST-style IDX files (Fashion-MNIST), CIFAR-10 binary
 * batches, a folder of PNG/JPEG files with one sub-folder per class, and the seeded synthetic shapes.
 */
public final class Datasets {
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Fashion-MNIST class names. */
    public static final String[] FASHION_MNIST_CLASSES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    };
    /** CIFAR-10 class names. */
    public static final String[] CIFAR10_CLASSES = {
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"
    };

    private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);
    private static final int IDX_IMAGES_MAGIC = 0x00000803;
    private static final int IDX_LABELS_MAGIC = 0x00000801;
    private static final int CIFAR_SIDE = 32;

    /** Which half of a data set to load. */
    public enum Split {
        /** The training images. */
        TRAIN,
        /** The held-out test images. */
        TEST
    }

    private Datasets() {}

    /**
     * Loads an MNIST-style IDX data set ({@code train-images-idx3-ubyte[.gz]}, {@code t10k-...}).
     *
     * <p>Class names are Fashion-MNIST's when the folder name contains "fashion", else the digits.
     *
     * @param dir the folder with the four IDX files, gzipped or not
     * @param split train or test
     * @return the images (28x28 grey for (Fashion-)MNIST) and labels
     * @throws IOException when a file is missing or malformed (the message names it)
     */
    public static LabelledImages idx(final Path dir, final Split split) throws IOException {
        final String prefix = split == Split.TRAIN ? "train" : "t10k";
        final Path imagesFile = existing(dir, prefix + "-images-idx3-ubyte");
        final Path labelsFile = existing(dir, prefix + "-labels-idx1-ubyte");
        final List<DecodedImage> images = new ArrayList<>();
        try (DataInputStream in = open(imagesFile)) {
            expectMagic(in, IDX_IMAGES_MAGIC, imagesFile);
            final int count = in.readInt();
            final int rows = in.readInt();
            final int cols = in.readInt();
            for (int i = 0; i < count; i++) {
                final byte[] px = new byte[rows * cols];
                in.readFully(px);
                images.add(new DecodedImage(cols, rows, 1, px));
            }
        }
        final int[] labels;
        try (DataInputStream in = open(labelsFile)) {
            expectMagic(in, IDX_LABELS_MAGIC, labelsFile);
            final int count = in.readInt();
            if (count != images.size()) {
                throw new IOException(labelsFile + " has " + count + " labels for " + images.size() + " images");
            }
            labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = in.readUnsignedByte();
            }
        }
        final boolean fashion =
                dir.toAbsolutePath().toString().toLowerCase(Locale.ROOT).contains("fashion");
        final String[] names = fashion
                ? FASHION_MNIST_CLASSES.clone()
                : new String[] {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
        return new LabelledImages(images, labels, names);
    }

    /**
     * Loads CIFAR-10 from its binary batches ({@code data_batch_1..5.bin}: those present, {@code test_batch.bin}).
     *
     * @param dir the folder with the batches, or its parent holding {@code cifar-10-batches-bin}
     * @param split train or test
     * @return 32x32 RGB images and labels
     * @throws IOException when a batch is missing or truncated
     */
    public static LabelledImages cifar10(final Path dir, final Split split) throws IOException {
        if (split == Split.TRAIN) {
            final int[] batches = cifar10TrainingBatches(dir);
            if (batches.length == 0) {
                throw new IOException("Missing data set file " + cifarBase(dir).resolve("data_batch_1.bin")
                        + " (no CIFAR-10 training batch data_batch_1..5.bin)");
            }
            return cifar10Batches(dir, batches);
        }
        return cifar10(List.of(existing(cifarBase(dir), "test_batch.bin")));
    }

    /**
     * Tells which of CIFAR-10's training batches a folder holds (a subset may hold some of them).
     *
     * @param dir the folder with the batches, or its parent holding {@code cifar-10-batches-bin}
     * @return the batch numbers present, ascending
     */
    public static int[] cifar10TrainingBatches(final Path dir) {
        final Path base = cifarBase(dir);
        return java.util.stream.IntStream.rangeClosed(1, 5)
                .filter(b -> Files.isRegularFile(base.resolve("data_batch_" + b + ".bin"))
                        || Files.isRegularFile(base.resolve("data_batch_" + b + ".bin.gz")))
                .toArray();
    }

    /**
     * Tells whether a CIFAR-10 folder holds the test batch.
     *
     * @param dir the folder with the batches, or its parent holding {@code cifar-10-batches-bin}
     * @return true when {@code test_batch.bin} (or .gz) is there
     */
    public static boolean hasCifar10Test(final Path dir) {
        final Path base = cifarBase(dir);
        return Files.isRegularFile(base.resolve("test_batch.bin"))
                || Files.isRegularFile(base.resolve("test_batch.bin.gz"));
    }

    /**
     * Loads some of CIFAR-10's training batches, e.g. batches 1-4 to train and batch 5 to test on where the test
     * batch is not available.
     *
     * @param dir the folder with the batches, or its parent holding {@code cifar-10-batches-bin}
     * @param batches batch numbers 1..5
     * @return 32x32 RGB images and labels, in batch order
     * @throws IOException when a batch is missing or truncated
     */
    public static LabelledImages cifar10Batches(final Path dir, final int... batches) throws IOException {
        final Path base = cifarBase(dir);
        final List<Path> files = new ArrayList<>();
        for (final int b : batches) {
            files.add(existing(base, "data_batch_" + b + ".bin"));
        }
        return cifar10(files);
    }

    private static Path cifarBase(final Path dir) {
        return Files.isDirectory(dir.resolve("cifar-10-batches-bin")) ? dir.resolve("cifar-10-batches-bin") : dir;
    }

    private static LabelledImages cifar10(final List<Path> files) throws IOException {
        final List<DecodedImage> images = new ArrayList<>();
        final List<Integer> labels = new ArrayList<>();
        final int plane = CIFAR_SIDE * CIFAR_SIDE;
        final byte[] record = new byte[1 + 3 * plane];
        for (final Path file : files) {
            try (DataInputStream in = open(file)) {
                while (readRecord(in, record, file)) {
                    labels.add(record[0] & 0xFF);
                    final byte[] hwc = new byte[3 * plane];
                    for (int i = 0; i < plane; i++) {
                        hwc[3 * i] = record[1 + i];
                        hwc[3 * i + 1] = record[1 + plane + i];
                        hwc[3 * i + 2] = record[1 + 2 * plane + i];
                    }
                    images.add(new DecodedImage(CIFAR_SIDE, CIFAR_SIDE, 3, hwc));
                }
            }
        }
        return new LabelledImages(
                images, labels.stream().mapToInt(Integer::intValue).toArray(), CIFAR10_CLASSES.clone());
    }

    /**
     * Loads a folder of PNG/JPEG files with one sub-folder per class (class names = sorted sub-folder names).
     *
     * <p>Files that cannot be decoded are skipped with a warning that names them.
     *
     * @param root the folder
     * @return the images and labels
     * @throws IOException when the folder cannot be listed
     */
    public static LabelledImages folder(final Path root) throws IOException {
        final List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new IOException(root + " has no class sub-folders");
        }
        final List<DecodedImage> images = new ArrayList<>();
        final List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            final List<Path> files;
            try (Stream<Path> s = Files.list(classDirs.get(c))) {
                files = s.filter(Datasets::isImageFile).sorted().toList();
            }
            for (final Path file : files) {
                final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                final ImageEncoding encoding = name.endsWith(".png") ? ImageEncoding.PNG : ImageEncoding.JPEG;
                try {
                    images.add(ImageDecoder.decode(
                            encoding, Files.readAllBytes(file), null, null, null, ImageLimits.DEFAULTS));
                    labels.add(c);
                } catch (final ImageRejectedException e) {
                    LOG.warn("Skipping {}: {}", file, e.getMessage());
                }
            }
        }
        final String[] names =
                classDirs.stream().map(p -> p.getFileName().toString()).toArray(String[]::new);
        return new LabelledImages(
                images, labels.stream().mapToInt(Integer::intValue).toArray(), names);
    }

    /**
     * Generates the seeded synthetic shapes data set (see {@link SyntheticShapes}).
     *
     * @param n number of images
     * @param seed the seed
     * @return 28x28 grey images of ten classes
     */
    public static LabelledImages synthetic(final int n, final long seed) {
        return SyntheticShapes.generate(n, seed);
    }

    private static boolean isImageFile(final Path p) {
        final String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    private static Path existing(final Path dir, final String name) throws IOException {
        for (final String candidate : new String[] {name, name + ".gz"}) {
            final Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("Missing data set file " + dir.resolve(name) + " (or .gz)");
    }

    private static DataInputStream open(final Path file) throws IOException {
        final InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        final InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }

    private static void expectMagic(final DataInputStream in, final int magic, final Path file) throws IOException {
        final int found = in.readInt();
        if (found != magic) {
            throw new IOException(
                    file + " is not an IDX file of the expected kind (magic " + Integer.toHexString(found) + ")");
        }
    }

    private static boolean readRecord(final DataInputStream in, final byte[] record, final Path file)
            throws IOException {
        final int first = in.read();
        if (first < 0) {
            return false;
        }
        record[0] = (byte) first;
        try {
            in.readFully(record, 1, record.length - 1);
        } catch (final java.io.EOFException e) {
            throw new IOException(file + " ends inside a record", e);
        }
        return true;
    }
}
