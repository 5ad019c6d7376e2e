package io.npid.deploy.client;

import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Recognises what kind of data set a path holds (IDX, CIFAR-10 binary, or a folder of images per class) and loads
 * it with {@link Datasets}.
 */
public final class DataSources {

    /** The kinds of data set npid reads. */
    public enum Kind {
        /** MNIST-style IDX files, e.g. Fashion-MNIST. */
        IDX,
        /** CIFAR-10 binary batches. */
        CIFAR10,
        /** A folder with one sub-folder of PNG/JPEG files per class. */
        FOLDER
    }

    /** One CIFAR-10 record: the label byte and 32x32x3 pixels. */
    private static final int CIFAR_RECORD_BYTES = 1 + 32 * 32 * 3;

    private DataSources() {}

    /**
     * Tells what a path holds.
     *
     * @param path a data set folder
     * @return its kind
     * @throws NoSuchFileException when the path does not exist
     * @throws IOException when the folder holds none of the known layouts
     */
    public static Kind detect(final Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (!Files.isDirectory(path)) {
            throw new IOException(path + " is a file; give the folder that holds the data set");
        }
        final Optional<Kind> dataSet = dataSet(path);
        if (dataSet.isPresent()) {
            return dataSet.get();
        }
        try (var children = Files.list(path)) {
            if (children.anyMatch(Files::isDirectory)) {
                return Kind.FOLDER;
            }
        }
        throw new IOException(path + " holds no IDX files (train-images-idx3-ubyte[.gz]), no CIFAR-10 batches "
                + "(data_batch_1.bin) and no class sub-folders");
    }

    /**
     * Tells whether a folder holds an IDX or CIFAR-10 data set (by its file names alone).
     *
     * @param dir a folder
     * @return IDX or CIFAR10, or empty for any other folder
     */
    public static Optional<Kind> dataSet(final Path dir) {
        for (String name : new String[] {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"}) {
            if (Files.exists(dir.resolve(name)) || Files.exists(dir.resolve(name + ".gz"))) {
                return Optional.of(Kind.IDX);
            }
        }
        if (Files.exists(dir.resolve("data_batch_1.bin"))
                || Files.exists(dir.resolve("test_batch.bin"))
                || Files.isDirectory(dir.resolve("cifar-10-batches-bin"))) {
            return Optional.of(Kind.CIFAR10);
        }
        return Optional.empty();
    }

    /**
     * Counts the images of one split of an IDX or CIFAR-10 data set from its headers and file sizes, without
     * loading it (for a progress total).
     *
     * @param dir the data set folder
     * @param split train or test
     * @return the image count, or 0 when the files are not there
     * @throws IOException when a file cannot be read
     */
    public static long count(final Path dir, final Datasets.Split split) throws IOException {
        if (dataSet(dir).orElse(null) == Kind.IDX) {
            final String name = (split == Datasets.Split.TRAIN ? "train" : "t10k") + "-images-idx3-ubyte";
            for (Path file : new Path[] {dir.resolve(name), dir.resolve(name + ".gz")}) {
                if (Files.isRegularFile(file)) {
                    try (InputStream raw = Files.newInputStream(file);
                            DataInputStream in = new DataInputStream(
                                    file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw)) {
                        in.readInt(); // magic
                        return in.readInt();
                    }
                }
            }
            return 0;
        }
        final Path base =
                Files.isDirectory(dir.resolve("cifar-10-batches-bin")) ? dir.resolve("cifar-10-batches-bin") : dir;
        long bytes = 0;
        if (split == Datasets.Split.TRAIN) {
            for (int b = 1; b <= 5; b++) {
                final Path batch = base.resolve("data_batch_" + b + ".bin");
                bytes += Files.isRegularFile(batch) ? Files.size(batch) : 0;
            }
        } else {
            final Path batch = base.resolve("test_batch.bin");
            bytes += Files.isRegularFile(batch) ? Files.size(batch) : 0;
        }
        return bytes / CIFAR_RECORD_BYTES;
    }

    /**
     * Loads one split of a data set.
     *
     * @param path a data set folder
     * @param split train or test (a folder of images has no split and is returned whole)
     * @return the images and labels
     * @throws IOException when the data set cannot be read; the message names the file
     */
    public static LabelledImages load(final Path path, final Datasets.Split split) throws IOException {
        return switch (detect(path)) {
            case IDX -> Datasets.idx(path, split);
            case CIFAR10 -> Datasets.cifar10(path, split);
            case FOLDER -> Datasets.folder(path);
        };
    }

    /**
     * A short name for ids and reports, e.g. {@code fashion-mnist}.
     *
     * @param path a data set folder
     * @return its folder name in lower case, with characters unfit for ids replaced
     */
    public static String shortName(final Path path) {
        final Path name = path.toAbsolutePath().normalize().getFileName();
        final String s = name == null ? "data" : name.toString().toLowerCase(Locale.ROOT);
        return s.replaceAll("[^a-z0-9._-]", "-");
    }
}
