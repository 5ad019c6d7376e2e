package io.npid.deploy.client;

import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

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

    private DataSources() {
    }

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
        for (String name : new String[] {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"}) {
            if (Files.exists(path.resolve(name)) || Files.exists(path.resolve(name + ".gz"))) {
                return Kind.IDX;
            }
        }
        if (Files.exists(path.resolve("data_batch_1.bin")) || Files.exists(path.resolve("test_batch.bin"))
            || Files.isDirectory(path.resolve("cifar-10-batches-bin"))) {
            return Kind.CIFAR10;
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
